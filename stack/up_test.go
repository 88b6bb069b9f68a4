package stack

import (
	"context"
	"errors"
	"strings"
	"testing"
)

const twoServices = `
services:
  web:
    image: local/busybox
    command: ["sleep", "1d"]
    init: true
    environment:
      MODE: one
  worker:
    image: local/busybox
    command: ["sleep", "1d"]
    init: true
`

func idsByName(cs []Container) map[string]string {
	out := map[string]string{}
	for _, c := range cs {
		out[c.Name] = c.ID
	}
	return out
}

func TestUpCreatesThenKeepsUpToDateContainers(t *testing.T) {
	s := newTestStack(t, "noop")
	requireFixture(t, s.e, "local/busybox")
	ctx := context.Background()
	p := s.load(twoServices)
	if err := s.e.Up(ctx, p, UpOptions{}); err != nil {
		t.Fatalf("up: %v", err)
	}
	first := s.ps()
	if len(first) != 2 {
		t.Fatalf("got %d containers, want 2: %+v", len(first), first)
	}
	for _, c := range first {
		if c.State != StateRunning {
			t.Errorf("%s: got state %s, want running", c.Name, c.State)
		}
		if want := s.Name + "-" + c.Service + "-1"; c.Name != want {
			t.Errorf("got name %s, want %s", c.Name, want)
		}
	}

	var log stepLog
	if err := s.e.Up(ctx, p, UpOptions{Progress: log.fn()}); err != nil {
		t.Fatalf("second up: %v", err)
	}
	second := s.ps()
	if got, want := idsByName(second), idsByName(first); !equalMaps(got, want) {
		t.Errorf("second up changed containers: got %v, want %v", got, want)
	}
	for _, kind := range []ProgressKind{ProgressCreating, ProgressRecreating, ProgressStarting, ProgressRemoving} {
		if n := log.count(kind, ""); n != 0 {
			t.Errorf("second up reported %d %q steps, want none", n, kind)
		}
	}
	if n := log.count(ProgressUpToDate, ""); n != 3 {
		t.Errorf("got %d up-to-date steps (one per container and one for the stack), want 3: %+v", n, log.steps)
	}
}

func TestUpRecreatesOnlyTheChangedService(t *testing.T) {
	s := newTestStack(t, "change")
	requireFixture(t, s.e, "local/busybox")
	ctx := context.Background()
	if err := s.e.Up(ctx, s.load(twoServices), UpOptions{}); err != nil {
		t.Fatalf("up: %v", err)
	}
	before := idsByName(s.ps())
	var log stepLog
	changed := s.load(strings.Replace(twoServices, "MODE: one", "MODE: two", 1))
	if err := s.e.Up(ctx, changed, UpOptions{Progress: log.fn()}); err != nil {
		t.Fatalf("up after change: %v", err)
	}
	after := s.ps()
	for _, c := range after {
		switch c.Service {
		case "web":
			if c.ID == before[c.Name] {
				t.Errorf("web was not recreated after its environment changed")
			}
			if c.State != StateRunning {
				t.Errorf("recreated web: got state %s, want running", c.State)
			}
			want, _ := changed.Service("web")
			if c.ConfigHash != want.Hash {
				t.Errorf("recreated web: got hash %s, want %s", c.ConfigHash, want.Hash)
			}
		case "worker":
			if c.ID != before[c.Name] {
				t.Errorf("worker was recreated though it did not change")
			}
		}
	}
	if len(after) != 2 {
		t.Errorf("got %d containers after recreate, want 2", len(after))
	}
	if n := log.count(ProgressRecreated, "web"); n != 1 {
		t.Errorf("got %d recreated steps for web, want 1", n)
	}
}

func equalMaps(a, b map[string]string) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if b[k] != v {
			return false
		}
	}
	return true
}

func TestUpWarnsAboutOrphansAndRemovesThemOnRequest(t *testing.T) {
	s := newTestStack(t, "orphan")
	requireFixture(t, s.e, "local/busybox")
	ctx := context.Background()
	if err := s.e.Up(ctx, s.load(twoServices), UpOptions{}); err != nil {
		t.Fatalf("up: %v", err)
	}
	webOnly := s.load(`
services:
  web:
    image: local/busybox
    command: ["sleep", "1d"]
    init: true
    environment:
      MODE: one
`)
	var log stepLog
	if err := s.e.Up(ctx, webOnly, UpOptions{Progress: log.fn()}); err != nil {
		t.Fatalf("up without worker: %v", err)
	}
	if n := log.count(ProgressWarning, ""); n != 1 {
		t.Errorf("got %d warnings, want 1 about the orphan: %+v", n, log.steps)
	}
	if cs := s.ps(); len(cs) != 2 {
		t.Errorf("orphan was not kept: got %d containers, want 2", len(cs))
	}
	if err := s.e.Up(ctx, webOnly, UpOptions{RemoveOrphans: true}); err != nil {
		t.Fatalf("up removing orphans: %v", err)
	}
	cs := s.ps()
	if len(cs) != 1 || cs[0].Service != "web" {
		t.Errorf("got %+v, want only web", cs)
	}
}

func TestUpScalesUpAndDown(t *testing.T) {
	s := newTestStack(t, "scale")
	requireFixture(t, s.e, "local/busybox")
	ctx := context.Background()
	p := s.load(twoServices)
	if err := s.e.Up(ctx, p, UpOptions{Scale: map[string]int{"web": 3}}); err != nil {
		t.Fatalf("up scale 3: %v", err)
	}
	webs := func() []int {
		var ns []int
		for _, c := range s.ps() {
			if c.Service == "web" {
				ns = append(ns, c.Number)
				if c.State != StateRunning {
					t.Errorf("%s: got %s, want running", c.Name, c.State)
				}
			}
		}
		return ns
	}
	if got := webs(); len(got) != 3 || got[0] != 1 || got[2] != 3 {
		t.Fatalf("got web numbers %v, want [1 2 3]", got)
	}
	if err := s.e.Up(ctx, p, UpOptions{Scale: map[string]int{"web": 1}}); err != nil {
		t.Fatalf("up scale 1: %v", err)
	}
	if got := webs(); len(got) != 1 || got[0] != 1 {
		t.Errorf("got web numbers %v, want [1]", got)
	}
}

func TestUpFailsClearlyWhenAnImageIsMissing(t *testing.T) {
	s := newTestStack(t, "noimg")
	p := s.load(`
services:
  ghost:
    image: local/does-not-exist:never
`)
	// The image is pulled first; offline the registry is unreachable, on a
	// connected machine Docker Hub has no such repository.
	err := s.e.Up(context.Background(), p, UpOptions{})
	var ie *ImageError
	if !errors.As(err, &ie) || !strings.Contains(err.Error(), "ghost") || !strings.Contains(err.Error(), "pull local/does-not-exist:never from docker.io") {
		t.Errorf("got %v, want a pull error naming the service, the image and the registry", err)
	}
}
