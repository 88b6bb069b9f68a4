package main

import (
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/devstack/devstack/stack"
)

// psJSON is one line of `ps --format json`, field for field what Docker
// Compose v5 prints (the docker CLI's container formatter). It carries no
// environment: ps must never print the values of a container's variables.
type psJSON struct {
	Command      string
	CreatedAt    string
	Engine       string
	ExitCode     int
	Health       string
	ID           string
	Image        string
	Labels       string
	LocalVolumes string
	Mounts       string
	Name         string
	Names        string
	Networks     string
	Ports        string
	Project      string
	Publishers   []psPublisher
	RunningFor   string
	Service      string
	Size         string
	State        string
	Status       string
}

// psPublisher is a published port as compose's ps JSON lists it.
type psPublisher struct {
	URL           string
	TargetPort    uint16
	PublishedPort uint16
	Protocol      string
}

// writePsJSON prints one JSON object a line, as compose does.
func writePsJSON(w io.Writer, cs []stack.Container, now time.Time) error {
	enc := json.NewEncoder(w)
	for _, c := range cs {
		if err := enc.Encode(psJSONOf(c, now)); err != nil {
			return fmt.Errorf("ps: %w", err)
		}
	}
	return nil
}

func psJSONOf(c stack.Container, now time.Time) psJSON {
	var mounts []string
	volumes := 0
	for _, m := range c.Mounts {
		if m.Kind == stack.MountVolume {
			volumes++
		}
		if m.Source != "" {
			mounts = append(mounts, ellipsis(m.Source, 15))
		}
	}
	labels := make([]string, 0, len(c.Labels))
	for _, k := range slices.Sorted(maps.Keys(c.Labels)) {
		labels = append(labels, k+"="+c.Labels[k])
	}
	publishers := []psPublisher{}
	for _, p := range c.Ports {
		proto := p.Protocol
		if proto == "" {
			proto = "tcp"
		}
		publishers = append(publishers, psPublisher{URL: p.HostIP, TargetPort: p.ContainerPort, PublishedPort: p.HostPort, Protocol: proto})
	}
	return psJSON{
		Command:      `"` + c.Command + `"`,
		CreatedAt:    time.Unix(c.Created.Unix(), 0).String(),
		ExitCode:     c.ExitCode,
		Health:       string(c.Health),
		ID:           c.ID[:min(12, len(c.ID))],
		Image:        c.Image,
		Labels:       strings.Join(labels, ","),
		LocalVolumes: fmt.Sprint(volumes),
		Mounts:       strings.Join(mounts, ","),
		Name:         c.Name,
		Names:        c.Name,
		Networks:     strings.Join(c.Networks, ","),
		Ports:        portsText(c.Ports),
		Project:      c.Project,
		Publishers:   publishers,
		RunningFor:   ago(now.Sub(c.Created)),
		Service:      c.Service,
		Size:         "0B",
		State:        string(c.State),
		Status:       statusText(c, now),
	}
}

// ellipsis cuts s to n runes, the last one "…", as the docker CLI's
// formatter cuts mount names in ps.
func ellipsis(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}
