package confighash

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"slices"
	"sort"

	"github.com/compose-spec/compose-go/v2/types"
)

// keyOrder is the order in which Compose emits a service's top-level
// keys before hashing. encoding/json would follow compose-go's struct
// layout, which has moved between releases; Compose pinned this historical
// order so recorded hashes stay valid, and so must we to agree with it.
// Keys not listed are appended in sorted order, as Compose does.
var keyOrder = []string{
	"profiles", "annotations", "attach", "build", "develop", "blkio_config",
	"cap_add", "cap_drop", "cgroup_parent", "cgroup", "cpu_count", "cpu_percent",
	"cpu_period", "cpu_quota", "cpu_rt_period", "cpu_rt_runtime", "cpus", "cpuset",
	"cpu_shares", "command", "configs", "container_name", "credential_spec",
	"depends_on", "deploy", "device_cgroup_rules", "devices", "dns", "dns_opt",
	"dns_search", "dockerfile", "domainname", "entrypoint", "provider",
	"environment", "env_file", "expose", "extends", "external_links",
	"extra_hosts", "group_add", "gpus", "hostname", "healthcheck", "image", "init",
	"ipc", "isolation", "labels", "label_file", "links", "logging", "log_driver",
	"log_opt", "mem_limit", "mem_reservation", "memswap_limit", "mem_swappiness",
	"mac_address", "models", "net", "network_mode", "networks", "oom_kill_disable",
	"oom_score_adj", "pid", "pids_limit", "platform", "ports", "privileged",
	"pull_policy", "read_only", "restart", "runtime", "scale", "secrets",
	"security_opt", "shm_size", "stdin_open", "stop_grace_period", "stop_signal",
	"storage_opt", "sysctls", "tmpfs", "tty", "ulimits", "use_api_socket", "user",
	"userns_mode", "uts", "volume_driver", "volumes", "volumes_from",
	"working_dir", "pre_start", "post_start", "pre_stop", "pull_refresh_after",
}

// Service is Compose's config hash of a service: the configuration
// without what does not change a running container (build inputs, scale,
// dependency wiring, profiles), marshalled in Compose's key order.
// References to other services must already be resolved to containers
// (stack's Project.ResolvedHash does that) for it to match Compose's label.
func Service(s types.ServiceConfig) (string, error) {
	s.Build = nil
	s.PullPolicy = ""
	s.Scale = nil
	if s.Deploy != nil {
		d := *s.Deploy
		d.Replicas = nil
		s.Deploy = &d
	}
	s.DependsOn = nil
	s.Profiles = nil
	raw, err := json.Marshal(s)
	if err != nil {
		return "", fmt.Errorf("hash service %s: %w", s.Name, err)
	}
	ordered, err := orderKeys(raw, keyOrder)
	if err != nil {
		return "", fmt.Errorf("hash service %s: %w", s.Name, err)
	}
	return sha256Hex(ordered), nil
}

// Network is Compose's config hash of a network.
func Network(n types.NetworkConfig) (string, error) {
	raw, err := json.Marshal(&n)
	if err != nil {
		return "", fmt.Errorf("hash network %s: %w", n.Name, err)
	}
	return sha256Hex(raw), nil
}

// Volume is Compose's config hash of a volume; Compose defaults the
// driver before hashing, so an unset driver and "local" hash the same.
func Volume(v types.VolumeConfig) (string, error) {
	if v.Driver == "" {
		v.Driver = "local"
	}
	raw, err := json.Marshal(v)
	if err != nil {
		return "", fmt.Errorf("hash volume %s: %w", v.Name, err)
	}
	return sha256Hex(raw), nil
}

// ServiceKeys are the service keys Compose orders before hashing, in that
// order; a key compose-go can marshal that is not here is hashed after
// them, sorted.
func ServiceKeys() []string {
	return slices.Clone(keyOrder)
}

func sha256Hex(b []byte) string {
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}

// orderKeys re-emits a JSON object with its top-level keys in the given
// order, values byte for byte; unlisted keys follow, sorted.
func orderKeys(raw []byte, order []string) ([]byte, error) {
	var root map[string]json.RawMessage
	if err := json.Unmarshal(raw, &root); err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	buf.WriteByte('{')
	write := func(key string, val json.RawMessage) {
		if buf.Len() > 1 {
			buf.WriteByte(',')
		}
		name, _ := json.Marshal(key)
		buf.Write(name)
		buf.WriteByte(':')
		buf.Write(val)
	}
	for _, key := range order {
		if val, ok := root[key]; ok {
			write(key, val)
			delete(root, key)
		}
	}
	rest := make([]string, 0, len(root))
	for k := range root {
		rest = append(rest, k)
	}
	sort.Strings(rest)
	for _, k := range rest {
		write(k, root[k])
	}
	buf.WriteByte('}')
	return buf.Bytes(), nil
}
