package composeload

import (
	"encoding/json"
	"fmt"
	"maps"
	"slices"

	"github.com/compose-spec/compose-go/v2/types"
)

// serviceKeys is the one table of what devstack's up honours in a service:
// true for keys it turns into container settings, false for keys it knows
// and does not apply yet. A key in neither gets the generic warning. The
// up code (stack/create.go and its helpers) and this table must move
// together: when up learns a key, flip it here and the warning goes away.
var serviceKeys = map[string]bool{
	// image and process
	"image": true, "build": true, "command": true, "entrypoint": true, "user": true,
	"working_dir": true, "init": true, "tty": true, "stdin_open": true,
	"stop_signal": true, "stop_grace_period": true, "restart": true,
	// environment and metadata (env_file and label_file are folded in by the loader)
	"environment": true, "env_file": true, "labels": true, "label_file": true,
	// storage
	"volumes": true, "tmpfs": true, "shm_size": true, "read_only": true,
	// network
	"ports": true, "expose": true, "networks": true, "network_mode": true,
	"hostname": true, "extra_hosts": true, "dns": true, "dns_opt": true, "dns_search": true,
	// resources
	"mem_limit": true, "mem_reservation": true, "cpus": true, "pids_limit": true,
	"deploy": true, "ulimits": true,
	// lifecycle and grouping
	"healthcheck": true, "depends_on": true, "container_name": true, "scale": true,
	"profiles": true, "logging": true,
	// privileges and namespaces
	"cap_add": true, "cap_drop": true, "privileged": true, "security_opt": true,
	"sysctls": true, "devices": true, "ipc": true, "pid": true, "group_add": true,
	// legacy wiring, engine placement and fine-grained limits
	"links": true, "external_links": true, "volumes_from": true, "pull_policy": true,
	"runtime": true, "cgroup": true, "cgroup_parent": true, "userns_mode": true,
	"uts": true, "storage_opt": true, "mac_address": true, "domainname": true,
	"cpu_shares": true, "cpuset": true, "cpu_period": true, "cpu_quota": true,
	"cpu_count": true, "cpu_percent": true, "cpu_rt_period": true, "cpu_rt_runtime": true,
	"memswap_limit": true, "mem_swappiness": true, "oom_kill_disable": true,
	"oom_score_adj": true, "device_cgroup_rules": true, "annotations": true,
	"isolation": true, "volume_driver": true, "blkio_config": true, "gpus": true,
	"platform": true,
	// secrets and configs are mounted from files; from environment or
	// inline content, up refuses them with an error naming the service
	"secrets": true, "configs": true,
	// the dev loop: develop.watch (devstack watch, up --watch) and hooks
	"develop": true, "post_start": true, "pre_stop": true,
	// known, not applied yet
	"pre_start": false, "models": false, "provider": false, "use_api_socket": false, "attach": false,
	"log_driver": false, "log_opt": false, "credential_spec": false,
	"pull_refresh_after": false, "dockerfile": false, "net": false, "extends": false,
}

// deployKeys are the parts of deploy: that up honours; the rest is Swarm's.
var deployKeys = map[string]bool{"resources": true, "replicas": true}

// unsupported warns about every key of an active service that devstack's up
// does not honour, naming the service, the key and where it is written.
func (r *Result) unsupported(model *types.Project) []Warning {
	var out []Warning
	for _, name := range model.ServiceNames() {
		// Keys as Compose marshals the service: unset ones are omitted.
		keys, err := jsonKeys(model.Services[name])
		if err != nil {
			continue
		}
		for _, key := range keys {
			if serviceKeys[key] {
				continue
			}
			out = append(out, r.warnAt([]string{"services", name, key}, name, key,
				"not honoured by devstack yet: containers are created without it (docker compose would apply it)"))
		}
		out = append(out, r.unsupportedDeploy(name, model.Services[name].Deploy)...)
		out = append(out, r.unsupportedBuild(name, model.Services[name].Build)...)
		out = append(out, r.unsupportedAttachments(name, model.Services[name].Networks)...)
	}
	return out
}

func (r *Result) unsupportedDeploy(service string, d *types.DeployConfig) []Warning {
	if d == nil {
		return nil
	}
	var out []Warning
	keys, _ := jsonKeys(d)
	for _, key := range keys {
		if !deployKeys[key] {
			out = append(out, r.warnAt([]string{"services", service, "deploy", key}, service, "deploy."+key,
				"not honoured by devstack (outside Swarm, only deploy.resources and deploy.replicas apply)"))
		}
	}
	if res := d.Resources.Reservations; res != nil && len(res.GenericResources) > 0 {
		out = append(out, r.warnAt([]string{"services", service, "deploy", "resources", "reservations", "generic_resources"}, service,
			"deploy.resources.reservations.generic_resources", "generic resource reservations are Swarm's: not honoured by devstack"))
	}
	return out
}

// buildKeys are the parts of build: devstack's BuildKit builds honour
// (stack/build_options.go, stack/buildkit_solve.go); false: known and not
// applied.
var buildKeys = map[string]bool{
	"context": true, "dockerfile": true, "dockerfile_inline": true, "args": true,
	"target": true, "additional_contexts": true, "secrets": true, "ssh": true,
	"cache_from": true, "cache_to": true, "labels": true, "network": true,
	"extra_hosts": true, "shm_size": true, "ulimits": true, "platforms": true,
	"no_cache": true, "no_cache_filter": true, "pull": true, "tags": true,
	"privileged": true, "entitlements": true,
	"provenance": false, "sbom": false, "isolation": false,
}

// unsupportedBuild warns about build: keys devstack's builds do not apply.
func (r *Result) unsupportedBuild(service string, b *types.BuildConfig) []Warning {
	if b == nil {
		return nil
	}
	var out []Warning
	keys, _ := jsonKeys(b)
	for _, key := range keys {
		if !buildKeys[key] {
			out = append(out, r.warnAt([]string{"services", service, "build", key}, service, "build."+key,
				"not honoured by devstack's builds (images are loaded into the engine without attestations)"))
		}
	}
	return out
}

// attachmentKeys are the network attachment settings up applies.
var attachmentKeys = map[string]bool{
	"aliases": true, "ipv4_address": true, "ipv6_address": true, "link_local_ips": true,
	"mac_address": true, "driver_opts": true, "gw_priority": true, "priority": true,
}

// unsupportedAttachments warns about network attachment settings up does
// not apply.
func (r *Result) unsupportedAttachments(service string, networks map[string]*types.ServiceNetworkConfig) []Warning {
	var out []Warning
	for _, net := range slices.Sorted(maps.Keys(networks)) {
		if networks[net] == nil {
			continue
		}
		keys, _ := jsonKeys(networks[net])
		for _, key := range keys {
			if !attachmentKeys[key] {
				out = append(out, r.warnAt([]string{"services", service, "networks", net, key}, service, "networks."+net+"."+key,
					"not honoured by devstack yet"))
			}
		}
	}
	return out
}

func jsonKeys(v any) ([]string, error) {
	raw, err := json.Marshal(v)
	if err != nil {
		return nil, fmt.Errorf("list keys: %w", err)
	}
	var m map[string]json.RawMessage
	if err := json.Unmarshal(raw, &m); err != nil {
		return nil, fmt.Errorf("list keys: %w", err)
	}
	keys := make([]string, 0, len(m))
	for _, k := range slices.Sorted(maps.Keys(m)) {
		if string(m[k]) != "null" {
			keys = append(keys, k)
		}
	}
	return keys, nil
}
