package stack

import (
	"fmt"
	"net/netip"
	"sort"
	"strings"
	"time"

	"github.com/compose-spec/compose-go/v2/types"
	"github.com/moby/moby/api/types/container"
	"github.com/moby/moby/api/types/mount"
	"github.com/moby/moby/api/types/network"
	"github.com/moby/moby/client"
	"github.com/moby/moby/client/pkg/versions"
	ocispec "github.com/opencontainers/image-spec/specs-go/v1"
)

// createSpec is everything the engine needs to create one container of a
// service, plus the networks it can only join after creation.
type createSpec struct {
	opts client.ContainerCreateOptions
	// joinLater are the service's extra networks when the engine speaks an
	// API older than 1.44, which accepts a single network at create time.
	joinLater []networkJoin
}

// networkJoin is a network a created container still has to be connected to.
type networkJoin struct {
	network  string
	endpoint *network.EndpointSettings
}

// createTarget says which container of a service is being created.
type createTarget struct {
	number int
	name   string
	labels map[string]string
	// apiVersion is the negotiated engine API version.
	apiVersion string
	// inherit are anonymous volumes taken over from a replaced container.
	inherit []mount.Mount
	// links are legacy links, "<container>:<alias>".
	links []string
}

// buildCreateSpec converts a service (its service: references already
// resolved) into the engine's create request, the way Compose does.
func buildCreateSpec(model *types.Project, sc types.ServiceConfig, t createTarget) (createSpec, error) {
	cfg, err := containerConfig(model, sc, t.labels)
	if err != nil {
		return createSpec{}, err
	}
	host, err := hostConfig(model, withoutInherited(sc, t.inherit))
	if err != nil {
		return createSpec{}, err
	}
	host.Mounts = append(host.Mounts, t.inherit...)
	host.Links = t.links
	mode, netCfg, later, err := networkSettings(model, sc, t)
	if err != nil {
		return createSpec{}, err
	}
	host.NetworkMode = mode
	return createSpec{
		opts: client.ContainerCreateOptions{
			Name:             t.name,
			Config:           cfg,
			HostConfig:       host,
			NetworkingConfig: netCfg,
			Platform:         platformOf(model, sc),
		},
		joinLater: later,
	}, nil
}

// platformOf is the service's platform:, or DOCKER_DEFAULT_PLATFORM, as
// os/arch[/variant]; nil lets the engine choose.
func platformOf(model *types.Project, sc types.ServiceConfig) *ocispec.Platform {
	spec := sc.Platform
	if spec == "" {
		spec = model.Environment["DOCKER_DEFAULT_PLATFORM"]
	}
	if spec == "" {
		return nil
	}
	parts := strings.SplitN(spec, "/", 3)
	p := &ocispec.Platform{OS: parts[0]}
	if len(parts) > 1 {
		p.Architecture = parts[1]
	}
	if len(parts) > 2 {
		p.Variant = parts[2]
	}
	return p
}

func containerConfig(model *types.Project, sc types.ServiceConfig, labels map[string]string) (*container.Config, error) {
	exposed, err := exposedPorts(sc)
	if err != nil {
		return nil, err
	}
	return &container.Config{
		Hostname:        sc.Hostname,
		Domainname:      sc.DomainName,
		User:            sc.User,
		ExposedPorts:    exposed,
		Tty:             sc.Tty,
		OpenStdin:       sc.StdinOpen,
		AttachStdout:    true,
		AttachStderr:    true,
		Cmd:             sc.Command,
		Entrypoint:      sc.Entrypoint,
		Image:           imageName(model.Name, sc),
		WorkingDir:      sc.WorkingDir,
		NetworkDisabled: sc.NetworkMode == "disabled",
		Labels:          labels,
		StopSignal:      sc.StopSignal,
		Env:             engineEnv(sc.Environment),
		Healthcheck:     healthConfig(sc.HealthCheck),
		StopTimeout:     durationSeconds(sc.StopGracePeriod),
	}, nil
}

func hostConfig(model *types.Project, sc types.ServiceConfig) (*container.HostConfig, error) {
	binds, mounts, err := serviceMounts(model, sc)
	if err != nil {
		return nil, err
	}
	bindings, err := portBindings(sc)
	if err != nil {
		return nil, err
	}
	dns, err := dnsServers(sc)
	if err != nil {
		return nil, err
	}
	secOpts, unconfined, err := securityOpts(model, sc.SecurityOpt)
	if err != nil {
		return nil, fmt.Errorf("service %s: %w", sc.Name, err)
	}
	h := &container.HostConfig{
		Binds:          binds,
		Mounts:         mounts,
		Tmpfs:          shortTmpfs(sc.Tmpfs),
		PortBindings:   bindings,
		RestartPolicy:  restartPolicy(sc),
		Resources:      resources(sc),
		Annotations:    sc.Annotations,
		CapAdd:         sc.CapAdd,
		CapDrop:        sc.CapDrop,
		Init:           sc.Init,
		IpcMode:        container.IpcMode(sc.Ipc),
		PidMode:        container.PidMode(sc.Pid),
		UTSMode:        container.UTSMode(sc.Uts),
		UsernsMode:     container.UsernsMode(sc.UserNSMode),
		CgroupnsMode:   container.CgroupnsMode(sc.Cgroup),
		ReadonlyRootfs: sc.ReadOnly,
		Privileged:     sc.Privileged,
		ShmSize:        int64(sc.ShmSize),
		Sysctls:        sc.Sysctls,
		StorageOpt:     sc.StorageOpt,
		VolumeDriver:   sc.VolumeDriver,
		VolumesFrom:    sc.VolumesFrom,
		DNS:            dns,
		DNSSearch:      sc.DNSSearch,
		DNSOptions:     sc.DNSOpts,
		ExtraHosts:     sc.ExtraHosts.AsList(":"),
		SecurityOpt:    secOpts,
		GroupAdd:       sc.GroupAdd,
		Runtime:        sc.Runtime,
		OomScoreAdj:    int(sc.OomScoreAdj),
		Isolation:      container.Isolation(sc.Isolation),
	}
	if unconfined {
		h.MaskedPaths, h.ReadonlyPaths = []string{}, []string{}
	}
	if sc.Logging != nil {
		h.LogConfig = container.LogConfig{Type: sc.Logging.Driver, Config: sc.Logging.Options}
	}
	return h, nil
}

// engineEnv renders the environment as KEY=value lines, sorted so that the
// request is the same from one run to the next; a variable without a value
// is passed by name, which the engine reads as unset.
func engineEnv(env types.MappingWithEquals) []string {
	out := make([]string, 0, len(env))
	for k, v := range env {
		if v == nil {
			out = append(out, k)
			continue
		}
		out = append(out, k+"="+*v)
	}
	sort.Strings(out)
	return out
}

func healthConfig(h *types.HealthCheckConfig) *container.HealthConfig {
	if h == nil {
		return nil
	}
	hc := &container.HealthConfig{Test: h.Test}
	if h.Disable {
		hc.Test = []string{"NONE"}
	}
	if h.Interval != nil {
		hc.Interval = time.Duration(*h.Interval)
	}
	if h.Timeout != nil {
		hc.Timeout = time.Duration(*h.Timeout)
	}
	if h.StartPeriod != nil {
		hc.StartPeriod = time.Duration(*h.StartPeriod)
	}
	if h.StartInterval != nil {
		hc.StartInterval = time.Duration(*h.StartInterval)
	}
	if h.Retries != nil {
		hc.Retries = int(*h.Retries)
	}
	return hc
}

func durationSeconds(d *types.Duration) *int {
	if d == nil {
		return nil
	}
	s := int(time.Duration(*d).Seconds())
	return &s
}

func restartPolicy(sc types.ServiceConfig) container.RestartPolicy {
	var p container.RestartPolicy
	if sc.Restart != "" {
		name, retries, _ := strings.Cut(sc.Restart, ":")
		p.Name = restartMode(name)
		fmt.Sscanf(retries, "%d", &p.MaximumRetryCount)
	}
	if sc.Deploy != nil && sc.Deploy.RestartPolicy != nil {
		rp := sc.Deploy.RestartPolicy
		p = container.RestartPolicy{Name: restartMode(rp.Condition)}
		if rp.MaxAttempts != nil {
			p.MaximumRetryCount = int(*rp.MaxAttempts)
		}
	}
	return p
}

// restartMode maps deploy.restart_policy conditions onto engine policies.
func restartMode(condition string) container.RestartPolicyMode {
	switch condition {
	case "none", "no":
		return container.RestartPolicyDisabled
	case "any", "always":
		return container.RestartPolicyAlways
	}
	return container.RestartPolicyMode(condition)
}

func dnsServers(sc types.ServiceConfig) ([]netip.Addr, error) {
	var out []netip.Addr
	for _, d := range sc.DNS {
		a, err := netip.ParseAddr(d)
		if err != nil {
			return nil, fmt.Errorf("service %s: dns %q: %w", sc.Name, d, err)
		}
		out = append(out, a)
	}
	return out, nil
}

// apiBefore reports whether the negotiated API version is older than v.
func apiBefore(apiVersion, v string) bool {
	return apiVersion != "" && versions.LessThan(apiVersion, v)
}
