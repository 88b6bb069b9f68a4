package stack

import (
	"context"
	"reflect"
	"testing"
	"time"
)

const listedCompose = `services:
  checked:
    image: local/busybox
    command: sleep 1d
    healthcheck:
      test: ["CMD", "true"]
      interval: 1s
  failed:
    image: local/busybox
    command: sh -c "exit 3"
  web:
    image: local/busybox
    command: sleep 1d
    ports: ["127.0.0.1::80", "81/udp"]
    scale: 2
`

// TestListAgreesWithPs: what the first screen draws from the engine's
// plain list (state, health, exit code, ports, names, replica numbers,
// image, networks) is what Ps finds by inspecting each container.
func TestListAgreesWithPs(t *testing.T) {
	s := newTestStack(t, "listed")
	requireFixture(t, s.e, "local/busybox")
	p := s.load(listedCompose)
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	if err := s.e.Up(ctx, p, UpOptions{}); err != nil {
		t.Fatal(err)
	}
	opts := PsOptions{All: true, OneOff: true}
	var full []Container
	for deadline := time.Now().Add(60 * time.Second); ; time.Sleep(200 * time.Millisecond) {
		var err error
		if full, err = s.e.Ps(ctx, s.Name, opts); err != nil {
			t.Fatal(err)
		}
		settled := len(full) == 4
		for _, c := range full {
			settled = settled && (c.Service != "checked" || c.Health == HealthHealthy) && (c.Service != "failed" || c.State == StateExited)
		}
		if settled {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the stack did not settle (checked healthy, failed exited) within 60s: %+v", full)
		}
	}
	listed, err := s.e.List(ctx, s.Name, opts)
	if err != nil {
		t.Fatal(err)
	}
	if len(listed) != len(full) {
		t.Fatalf("List: %d containers, Ps: %d", len(listed), len(full))
	}
	for i, l := range listed {
		f := full[i]
		if !l.Listed || f.Listed {
			t.Errorf("%s: Listed %v from List, %v from Ps", f.Name, l.Listed, f.Listed)
		}
		type seen struct {
			ID, Name, Service, Project, Image, ImageID, ConfigHash string
			Number, ExitCode                                       int
			OneOff                                                 bool
			State                                                  State
			Health                                                 Health
			Ports                                                  []Port
			Networks                                               []string
			Created                                                int64
		}
		view := func(c Container) seen {
			return seen{c.ID, c.Name, c.Service, c.Project, c.Image, c.ImageID, c.ConfigHash,
				c.Number, c.ExitCode, c.OneOff, c.State, c.Health, c.Ports, c.Networks, c.Created.Unix()}
		}
		if got, want := view(l), view(f); !reflect.DeepEqual(got, want) {
			t.Errorf("%s:\nList says %+v\nPs says   %+v", f.Name, got, want)
		}
	}
	for _, c := range full {
		if c.Service == "failed" && c.ExitCode != 3 || c.Service == "checked" && c.Health != HealthHealthy {
			t.Errorf("the fixture did not do what the test needs: %s exit %d health %q", c.Name, c.ExitCode, c.Health)
		}
		if c.Service == "web" && len(c.Ports) != 2 {
			t.Errorf("%s ports: %v, want two published ports (80/tcp on 127.0.0.1, 81/udp)", c.Name, c.Ports)
		}
	}
}
