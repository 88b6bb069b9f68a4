package stack

import (
	"context"
	"strings"
	"testing"
	"time"

	cerrdefs "github.com/containerd/errdefs"
	"github.com/moby/moby/client"
)

const anonymousVolumeStack = `
services:
  app:
    image: local/busybox
    init: true
    command: ["sleep", "1d"]
    environment:
      MODE: one
    volumes:
      - /cache
`

func TestRecreateKeepsAnonymousVolumes(t *testing.T) {
	s := newTestStack(t, "anon")
	requireFixture(t, s.e, "local/busybox")
	ctx := context.Background()
	if err := s.e.Up(ctx, s.load(anonymousVolumeStack), UpOptions{}); err != nil {
		t.Fatalf("up: %v", err)
	}
	before := s.container("app")
	if out, code := s.exec("app", "sh", "-c", "echo warm > /cache/state"); code != 0 {
		t.Fatalf("write to the volume: %s", out)
	}
	if err := s.e.Up(ctx, s.load(strings.Replace(anonymousVolumeStack, "MODE: one", "MODE: two", 1)), UpOptions{}); err != nil {
		t.Fatalf("up after change: %v", err)
	}
	if s.container("app").ID == before.ID {
		t.Fatal("app was not recreated")
	}
	if out, code := s.exec("app", "cat", "/cache/state"); code != 0 || strings.TrimSpace(out) != "warm" {
		t.Errorf("the replacement lost the anonymous volume: exit %d, %q", code, out)
	}
	var volume string
	for _, m := range s.container("app").Mounts {
		if m.Target == "/cache" {
			volume = m.Source
		}
	}
	if volume == "" {
		t.Fatal("the replacement has no volume on /cache")
	}
	// down -v removes anonymous volumes too, also one carried over by a
	// recreate (the engine keeps those on a plain remove -v).
	if err := s.e.Down(ctx, s.Name, nil, DownOptions{Volumes: true}); err != nil {
		t.Fatalf("down -v: %v", err)
	}
	if _, err := s.e.api.VolumeInspect(ctx, volume, client.VolumeInspectOptions{}); !cerrdefs.IsNotFound(err) {
		t.Errorf("down -v left the anonymous volume %s (inspect: %v)", volume, err)
	}
}

func TestRecreateOneServiceAndRestartItsDependents(t *testing.T) {
	s := newTestStack(t, "recreate")
	requireFixture(t, s.e, "local/busybox")
	ctx := context.Background()
	p := s.load(`
services:
  cache:
    image: local/busybox
    init: true
    command: ["sleep", "1d"]
  app:
    image: local/busybox
    init: true
    command: ["sleep", "1d"]
    depends_on:
      cache:
        condition: service_started
        restart: true
  other:
    image: local/busybox
    init: true
    command: ["sleep", "1d"]
`)
	if err := s.e.Up(ctx, p, UpOptions{}); err != nil {
		t.Fatalf("up: %v", err)
	}
	cache, app, other := s.container("cache"), s.container("app"), s.container("other")
	if err := s.e.Recreate(ctx, p, "cache", UpOptions{}); err != nil {
		t.Fatalf("recreate: %v", err)
	}
	if c := s.container("cache"); c.ID == cache.ID || c.State != StateRunning {
		t.Errorf("cache: got same container %v or state %s, want a new running one", c.ID == cache.ID, c.State)
	}
	a := s.container("app")
	if a.ID != app.ID || a.State != StateRunning || !a.StartedAt.After(app.StartedAt) {
		t.Errorf("app: got id kept %v, state %s, restarted %v; want the same container restarted (restart: true)",
			a.ID == app.ID, a.State, a.StartedAt.After(app.StartedAt))
	}
	if o := s.container("other"); o.ID != other.ID || !o.StartedAt.Equal(other.StartedAt) {
		t.Error("other was touched by a recreate of cache")
	}
	if err := s.e.Recreate(ctx, p, "nope", UpOptions{}); err == nil {
		t.Error("recreate of an unknown service: got no error")
	}
}

func TestUpWaitReturnsOnceHealthy(t *testing.T) {
	s := newTestStack(t, "wait")
	requireFixture(t, s.e, "local/busybox")
	p := s.load(`
services:
  slow:
    image: local/busybox
    init: true
    command: ["sh", "-c", "sleep 1; touch /tmp/up; exec sleep 1d"]
    healthcheck:
      test: ["CMD", "test", "-f", "/tmp/up"]
      interval: 300ms
      retries: 20
`)
	if err := s.e.Up(context.Background(), p, UpOptions{Wait: true, Timeout: time.Minute}); err != nil {
		t.Fatalf("up: %v", err)
	}
	if c := s.container("slow"); c.Health != HealthHealthy {
		t.Errorf("up with Wait returned while slow was %q", c.Health)
	}
}

func TestSharedNetworkNamespaceFollowsItsService(t *testing.T) {
	s := newTestStack(t, "netns")
	requireFixture(t, s.e, "local/busybox")
	ctx := context.Background()
	compose := `
services:
  db:
    image: local/busybox
    init: true
    command: ["sleep", "1d"]
    environment:
      MODE: one
  sidecar:
    image: local/busybox
    init: true
    command: ["sleep", "1d"]
    network_mode: "service:db"
`
	if err := s.e.Up(ctx, s.load(compose), UpOptions{}); err != nil {
		t.Fatalf("up: %v", err)
	}
	db, sidecar := s.container("db"), s.container("sidecar")
	if err := s.e.Up(ctx, s.load(compose), UpOptions{}); err != nil {
		t.Fatalf("second up: %v", err)
	}
	if s.container("sidecar").ID != sidecar.ID {
		t.Fatal("an unchanged up recreated the sidecar")
	}
	if err := s.e.Up(ctx, s.load(strings.Replace(compose, "MODE: one", "MODE: two", 1)), UpOptions{}); err != nil {
		t.Fatalf("up after changing db: %v", err)
	}
	newDB, newSidecar := s.container("db"), s.container("sidecar")
	if newDB.ID == db.ID || newSidecar.ID == sidecar.ID || newSidecar.State != StateRunning {
		t.Fatalf("db replaced %v, sidecar replaced %v (%s); want both, sidecar running", newDB.ID != db.ID, newSidecar.ID != sidecar.ID, newSidecar.State)
	}
	res, err := s.e.api.ContainerInspect(ctx, newSidecar.ID, client.ContainerInspectOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if got, want := string(res.Container.HostConfig.NetworkMode), "container:"+newDB.ID; got != want {
		t.Errorf("sidecar network mode: got %s, want %s", got, want)
	}
}

func TestRecreateASidecarSharingANamespace(t *testing.T) {
	s := newTestStack(t, "sidecar")
	requireFixture(t, s.e, "local/busybox")
	ctx := context.Background()
	p := s.load(`
services:
  db:
    image: local/busybox
    init: true
    command: ["sleep", "1d"]
  sidecar:
    image: local/busybox
    init: true
    command: ["sleep", "1d"]
    network_mode: "service:db"
`)
	if err := s.e.Up(ctx, p, UpOptions{}); err != nil {
		t.Fatalf("up: %v", err)
	}
	db, sidecar := s.container("db"), s.container("sidecar")
	if err := s.e.Recreate(ctx, p, "sidecar", UpOptions{}); err != nil {
		t.Fatalf("recreate sidecar: %v", err)
	}
	if s.container("db").ID != db.ID {
		t.Error("recreating the sidecar replaced db")
	}
	if c := s.container("sidecar"); c.ID == sidecar.ID || c.State != StateRunning {
		t.Errorf("sidecar: replaced %v, state %s; want a new running container", c.ID != sidecar.ID, c.State)
	}
}

func TestUpStopTimeoutOverridesTheGracePeriod(t *testing.T) {
	s := newTestStack(t, "stoptime")
	requireFixture(t, s.e, "local/busybox")
	ctx := context.Background()
	// sleep as pid 1 ignores SIGTERM: only the kill after the timeout stops it
	compose := `
services:
  stubborn:
    image: local/busybox
    command: ["sleep", "1d"]
    stop_grace_period: 30s
    environment:
      MODE: one
`
	if err := s.e.Up(ctx, s.load(compose), UpOptions{}); err != nil {
		t.Fatalf("up: %v", err)
	}
	zero := time.Duration(0)
	start := time.Now()
	if err := s.e.Up(ctx, s.load(strings.Replace(compose, "MODE: one", "MODE: two", 1)), UpOptions{StopTimeout: &zero}); err != nil {
		t.Fatalf("up: %v", err)
	}
	if took := time.Since(start); took > 25*time.Second { // 30 s if the grace period held; a loaded engine can take seconds to recreate
		t.Errorf("recreate took %s: the 30s grace period was not overridden", took)
	}
}
