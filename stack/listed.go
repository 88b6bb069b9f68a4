package stack

import (
	"context"
	"fmt"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/moby/moby/api/types/container"
)

// List is Ps without the inspecting: each container as the engine's list
// describes it, marked Listed. The list is one request where Ps makes one
// per container besides (on a busy engine, 30 inspections take longer than
// the rest of a screen's start), so a screen shows List at once and takes
// the details from Ps when they come.
func (e *Engine) List(ctx context.Context, project string, opts PsOptions) ([]Container, error) {
	summaries, err := e.listFor(ctx, project, opts)
	if err != nil {
		return nil, fmt.Errorf("list %s: %w", project, err)
	}
	out := make([]Container, 0, len(summaries))
	for _, s := range summaries {
		out = append(out, containerFromSummary(s))
	}
	sortContainers(out)
	return out, nil
}

// containerFromSummary is what a list entry says of a container. Health
// and exit code come from the status text ("Up 2 minutes (healthy)",
// "Exited (137) 5 seconds ago"): the engines this supports (API 1.41) put
// them nowhere else in a list.
func containerFromSummary(s container.Summary) Container {
	c := Container{
		ID:      s.ID,
		Image:   s.Image,
		ImageID: s.ImageID,
		Labels:  s.Labels,
		State:   State(s.State),
		Created: time.Unix(s.Created, 0),
		Listed:  true,
	}
	if len(s.Names) > 0 {
		c.Name = engineName(s.Names[0])
	}
	c.readLabels()
	c.Health, c.ExitCode = statusDetails(s.Status)
	if s.Health != nil && s.Health.Status != container.NoHealthcheck && s.Health.Status != "" {
		c.Health = Health(s.Health.Status)
	}
	for _, p := range s.Ports {
		port := Port{ContainerPort: p.PrivatePort, HostPort: p.PublicPort, Protocol: p.Type, HostIP: hostIP(p.IP)}
		if !slices.Contains(c.Ports, port) {
			c.Ports = append(c.Ports, port)
		}
	}
	sortPorts(c.Ports)
	if s.NetworkSettings != nil {
		for name := range s.NetworkSettings.Networks {
			c.Networks = append(c.Networks, name)
		}
		sort.Strings(c.Networks)
	}
	return c
}

// exitedStatus is the engine's status text of a stopped container.
var exitedStatus = regexp.MustCompile(`^Exited \((-?\d+)\)`)

// statusDetails reads health and exit code from a list entry's status.
func statusDetails(status string) (Health, int) {
	var h Health
	switch {
	case strings.Contains(status, "(healthy)"):
		h = HealthHealthy
	case strings.Contains(status, "(unhealthy)"):
		h = HealthUnhealthy
	case strings.Contains(status, "(health: starting)"):
		h = HealthStarting
	}
	code := 0
	if m := exitedStatus.FindStringSubmatch(status); m != nil {
		code, _ = strconv.Atoi(m[1])
	}
	return h, code
}
