package stack

import (
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/moby/moby/api/types/container"
	"github.com/moby/moby/api/types/mount"
)

// containerFromInspect converts the engine's full view of a container into
// devstack's. Stopped containers keep their configured ports.
func containerFromInspect(r container.InspectResponse) Container {
	c := Container{
		ID:           r.ID,
		Name:         engineName(r.Name),
		ImageID:      r.Image,
		RestartCount: r.RestartCount,
		Created:      parseInspectTime(r.Created),
	}
	if r.Config != nil {
		c.Image = r.Config.Image
		c.Labels = r.Config.Labels
		c.Env = r.Config.Env
	}
	c.readLabels()
	if s := r.State; s != nil {
		c.State = State(s.Status)
		c.ExitCode = s.ExitCode
		c.OOMKilled = s.OOMKilled
		c.Pid = s.Pid
		c.StartedAt = parseInspectTime(s.StartedAt)
		c.FinishedAt = parseInspectTime(s.FinishedAt)
		if s.Health != nil && s.Health.Status != container.NoHealthcheck {
			c.Health = Health(s.Health.Status)
		}
	}
	if r.NetworkSettings != nil && len(r.NetworkSettings.Ports) > 0 {
		c.Ports = portsFromEngine(r.NetworkSettings.Ports)
	} else if r.HostConfig != nil {
		c.Ports = portsFromEngine(r.HostConfig.PortBindings)
	}
	c.Mounts = mountsFromEngine(r.Mounts, r.HostConfig)
	c.Command = strings.TrimSpace(r.Path + " " + strings.Join(r.Args, " "))
	if r.NetworkSettings != nil {
		for name := range r.NetworkSettings.Networks {
			c.Networks = append(c.Networks, name)
		}
		sort.Strings(c.Networks)
	}
	return c
}

// readLabels sets what Compose's labels (and devstack's stage label) say
// of the container.
func (c *Container) readLabels() {
	c.Service = c.Labels[labelService]
	c.Project = c.Labels[labelProject]
	c.Number, _ = strconv.Atoi(c.Labels[labelNumber])
	c.OneOff = c.Labels[labelOneOff] == "True"
	c.ConfigHash = c.Labels[labelConfigHash]
	c.Stage = c.Labels[stageLabel]
}

// parseInspectTime reads the engine's RFC 3339 times; the zero time stands
// for "never" (the engine writes 0001-01-01T00:00:00Z).
func parseInspectTime(s string) time.Time {
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil || t.Year() <= 1 {
		return time.Time{}
	}
	return t
}

// mountsFromEngine lists a container's mounts with their kind. The engine
// reports tmpfs sizes only in the host config, and tmpfs given in the
// short form not at all among the mount points, so both are merged in.
func mountsFromEngine(points []container.MountPoint, host *container.HostConfig) []Mount {
	byTarget := map[string]Mount{}
	for _, p := range points {
		m := Mount{Kind: MountKind(p.Type), Source: p.Source, Target: p.Destination, ReadOnly: !p.RW}
		if p.Type == mount.TypeVolume {
			m.Source = p.Name
		}
		byTarget[m.Target] = m
	}
	if host != nil {
		for _, hm := range host.Mounts {
			if hm.Type != mount.TypeTmpfs {
				continue
			}
			m := Mount{Kind: MountTmpfs, Target: hm.Target, ReadOnly: hm.ReadOnly}
			if o := hm.TmpfsOptions; o != nil {
				m.TmpfsSize = o.SizeBytes
				m.TmpfsMode = uint32(o.Mode)
			}
			byTarget[m.Target] = m
		}
		for target, opts := range host.Tmpfs {
			byTarget[target] = tmpfsOf(target + ":" + opts) // short-form options: size=16m,mode=1777
		}
	}
	out := make([]Mount, 0, len(byTarget))
	for _, m := range byTarget {
		out = append(out, m)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Target < out[j].Target })
	return out
}

func sortPorts(ps []Port) {
	sort.Slice(ps, func(i, j int) bool {
		if ps[i].ContainerPort != ps[j].ContainerPort {
			return ps[i].ContainerPort < ps[j].ContainerPort
		}
		if ps[i].Protocol != ps[j].Protocol {
			return ps[i].Protocol < ps[j].Protocol
		}
		if ps[i].HostIP != ps[j].HostIP {
			return ps[i].HostIP < ps[j].HostIP
		}
		return ps[i].HostPort < ps[j].HostPort
	})
}
