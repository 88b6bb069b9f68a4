package stack

import (
	"fmt"
	"sort"
	"strconv"
	"strings"

	"github.com/compose-spec/compose-go/v2/types"
	"github.com/docker/go-units"

	"github.com/devstack/devstack/stack/internal/confighash"
)

// newService converts a compose-go service into devstack's plain view.
func newService(model *types.Project, sc types.ServiceConfig) (Service, error) {
	hash, err := confighash.Service(sc)
	if err != nil {
		return Service{}, err
	}
	s := Service{
		Name:          sc.Name,
		Image:         imageName(model.Name, sc),
		Command:       sc.Command,
		Entrypoint:    sc.Entrypoint,
		Scale:         scaleOf(sc),
		ContainerName: sc.ContainerName,
		Restart:       sc.Restart,
		User:          sc.User,
		WorkingDir:    sc.WorkingDir,
		Profiles:      sc.Profiles,
		Healthcheck:   sc.HealthCheck != nil && !sc.HealthCheck.Disable,
		Limits:        limitsOf(sc),
		Hash:          hash,
	}
	if b := sc.Build; b != nil {
		s.Build = &BuildSpec{Context: b.Context, Dockerfile: b.Dockerfile, Target: b.Target, Args: map[string]string{}}
		for k, v := range b.Args {
			if v != nil {
				s.Build.Args[k] = *v
			}
		}
	}
	for _, p := range sc.Ports {
		s.Ports = append(s.Ports, portsOf(p))
	}
	for _, v := range sc.Volumes {
		s.Mounts = append(s.Mounts, mountOf(model, v))
	}
	for _, t := range sc.Tmpfs {
		s.Mounts = append(s.Mounts, tmpfsOf(t))
	}
	for _, name := range sortedKeys(sc.Networks) {
		a := NetworkAttachment{Network: name}
		if n := sc.Networks[name]; n != nil {
			a.Aliases = n.Aliases
		}
		s.Networks = append(s.Networks, a)
	}
	for _, name := range sortedKeys(sc.DependsOn) {
		d := sc.DependsOn[name]
		s.DependsOn = append(s.DependsOn, Dependency{Service: name, Condition: d.Condition, Restart: d.Restart, Required: d.Required})
	}
	return s, nil
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

func scaleOf(sc types.ServiceConfig) int {
	switch {
	case sc.Deploy != nil && sc.Deploy.Replicas != nil:
		return *sc.Deploy.Replicas
	case sc.Scale != nil:
		return *sc.Scale
	}
	return 1
}

func limitsOf(sc types.ServiceConfig) Limits {
	l := Limits{
		MemoryBytes:       int64(sc.MemLimit),
		MemoryReservation: int64(sc.MemReservation),
		CPUs:              float64(sc.CPUS),
		Pids:              sc.PidsLimit,
	}
	if sc.Deploy != nil {
		if r := sc.Deploy.Resources.Limits; r != nil {
			if r.MemoryBytes != 0 {
				l.MemoryBytes = int64(r.MemoryBytes)
			}
			if r.NanoCPUs != 0 {
				l.CPUs = float64(r.NanoCPUs)
			}
			if r.Pids != 0 {
				l.Pids = r.Pids
			}
		}
		if r := sc.Deploy.Resources.Reservations; r != nil && r.MemoryBytes != 0 {
			l.MemoryReservation = int64(r.MemoryBytes)
		}
	}
	return l
}

// portsOf converts a port entry. compose-go has already split container
// port ranges into single entries; what remains as a range is a published
// range for one container port ("8000-8010:80"), where the engine binds
// one free port of the range.
func portsOf(p types.ServicePortConfig) Port {
	out := Port{HostIP: p.HostIP, ContainerPort: uint16(p.Target), Protocol: p.Protocol}
	lo, hi, isRange := strings.Cut(p.Published, "-")
	if n, err := strconv.ParseUint(lo, 10, 16); err == nil {
		out.HostPort = uint16(n)
	}
	if n, err := strconv.ParseUint(hi, 10, 16); isRange && err == nil && uint16(n) > out.HostPort {
		out.HostPortEnd = uint16(n)
	}
	return out
}

func mountOf(model *types.Project, v types.ServiceVolumeConfig) Mount {
	m := Mount{Kind: MountKind(v.Type), Source: v.Source, Target: v.Target, ReadOnly: v.ReadOnly}
	switch v.Type {
	case types.VolumeTypeVolume:
		if vol, ok := model.Volumes[v.Source]; ok {
			m.Source = vol.Name
		}
	case types.VolumeTypeTmpfs:
		if v.Tmpfs != nil {
			m.TmpfsSize = int64(v.Tmpfs.Size)
			m.TmpfsMode = v.Tmpfs.Mode
		}
	}
	return m
}

// tmpfsOf reads the short tmpfs form, "/path:size=16m,mode=1777".
func tmpfsOf(spec string) Mount {
	target, opts, _ := strings.Cut(spec, ":")
	m := Mount{Kind: MountTmpfs, Target: target}
	for _, o := range strings.Split(opts, ",") {
		k, v, _ := strings.Cut(o, "=")
		switch k {
		case "size":
			if n, err := units.RAMInBytes(v); err == nil {
				m.TmpfsSize = n
			}
		case "mode":
			if n, err := strconv.ParseUint(v, 8, 32); err == nil {
				m.TmpfsMode = uint32(n)
			}
		case "ro":
			m.ReadOnly = true
		}
	}
	return m
}

// imageName is the image a service's containers run: its image: or, when it
// is only built, <project>-<service> as compose names it.
func imageName(project string, sc types.ServiceConfig) string {
	if sc.Image != "" {
		return sc.Image
	}
	return fmt.Sprintf("%s-%s", project, sc.Name)
}
