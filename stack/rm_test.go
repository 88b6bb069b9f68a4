package stack

import (
	"context"
	"errors"
	"testing"

	"github.com/moby/moby/client"
)

const volumesStack = `
services:
  web:
    image: local/busybox
    command: ["sleep", "1d"]
    volumes: [data:/data, /anon]
volumes:
  data: {}
`

// TestRemoveKeepsNamedVolumes: rm leaves running containers alone unless
// asked to stop them, asks before removing, and with -v removes the
// container's anonymous volume but never the named one.
func TestRemoveKeepsNamedVolumes(t *testing.T) {
	s := newTestStack(t, "rm")
	requireFixture(t, s.e, "local/busybox")
	ctx := context.Background()
	p := s.load(volumesStack)
	if err := s.e.Up(ctx, p, UpOptions{}); err != nil {
		t.Fatalf("up: %v", err)
	}
	var anon string
	for _, m := range s.container("web").Mounts {
		if m.Target == "/anon" {
			anon = m.Source
		}
	}
	if anon == "" {
		t.Fatal("web has no anonymous volume on /anon")
	}
	if err := s.e.Remove(ctx, s.Name, p, RemoveOptions{Volumes: true}); !errors.Is(err, ErrNoContainers) {
		t.Fatalf("rm of a running container without -s: got %v, want ErrNoContainers", err)
	}
	var asked []string
	err := s.e.Remove(ctx, s.Name, p, RemoveOptions{Stop: true, Volumes: true, Confirm: func(names []string) bool {
		asked = names
		return false
	}})
	if err != nil || len(asked) != 1 || asked[0] != s.Name+"-web-1" || len(s.ps()) != 1 {
		t.Fatalf("rm -s answered no: err %v, asked about %v, %d containers left; want the question about web-1 and nothing removed", err, asked, len(s.ps()))
	}
	if err := s.e.Remove(ctx, s.Name, p, RemoveOptions{Volumes: true}); err != nil {
		t.Fatalf("rm -v: %v", err)
	}
	if cs := s.ps(); len(cs) != 0 {
		t.Errorf("rm -v left %d containers", len(cs))
	}
	if _, err := s.e.api.VolumeInspect(ctx, anon, client.VolumeInspectOptions{}); err == nil {
		t.Errorf("rm -v kept the anonymous volume %s", anon)
	}
	if _, err := s.e.api.VolumeInspect(ctx, s.Name+"_data", client.VolumeInspectOptions{}); err != nil {
		t.Errorf("rm -v removed the named volume %s_data: %v", s.Name, err)
	}
}

// TestKillSignal sends a chosen signal, which the service turns into its
// exit code, and reports nothing to kill once it has stopped.
func TestKillSignal(t *testing.T) {
	s := newTestStack(t, "kill")
	requireFixture(t, s.e, "local/busybox")
	ctx := context.Background()
	p := s.load(`
services:
  web:
    image: local/busybox
    command: ["sh", "-c", "trap 'exit 12' USR1; while true; do sleep 0.2; done"]
`)
	if err := s.e.Up(ctx, p, UpOptions{}); err != nil {
		t.Fatalf("up: %v", err)
	}
	if err := s.e.Kill(ctx, s.Name, p, KillOptions{Signal: "SIGUSR1"}); err != nil {
		t.Fatalf("kill -s SIGUSR1: %v", err)
	}
	if code, err := s.e.Wait(ctx, s.Name, p, WaitOptions{}); err != nil || code != 12 {
		t.Errorf("after SIGUSR1: exit %d, %v; want 12 from the trap", code, err)
	}
	if err := s.e.Kill(ctx, s.Name, p, KillOptions{}); !errors.Is(err, ErrNoContainers) {
		t.Errorf("kill with nothing running: got %v, want ErrNoContainers", err)
	}
}
