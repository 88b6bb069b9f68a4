package stack

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/moby/moby/api/types/container"
	"github.com/moby/moby/client"
)

const interruptedStack = `
services:
  a:
    image: local/busybox
    init: true
    command: ["sleep", "1d"]
    environment:
      MODE: one
    volumes:
      - data:/data
  b:
    image: local/busybox
    init: true
    command: ["sleep", "1d"]
    environment:
      MODE: one
volumes:
  data:
`

// TestUpFinishesInterruptedRecreates puts the project in the two states a
// kill mid-recreate leaves (seen with SIGKILL 0.1–1.5 s into up -d): a
// replacement under its temporary name beside the old container (a), and a
// replacement under its temporary name with the old one already removed
// (b). The next up converges: final names only, one container each, and
// the named volume's data intact.
func TestUpFinishesInterruptedRecreates(t *testing.T) {
	s := newTestStack(t, "interrupted")
	requireFixture(t, s.e, "local/busybox")
	ctx := context.Background()
	if err := s.e.Up(ctx, s.load(interruptedStack), UpOptions{}); err != nil {
		t.Fatalf("up: %v", err)
	}
	if out, code := s.exec("a", "sh", "-c", "echo precious > /data/f"); code != 0 {
		t.Fatalf("write to the volume: %s", out)
	}
	a, b := s.container("a"), s.container("b")
	// a: the replacement was created, the old one not yet removed.
	tmpA := a.ID[:12] + "_" + a.Name
	if _, err := s.e.api.ContainerCreate(ctx, client.ContainerCreateOptions{
		Name:   tmpA,
		Config: &container.Config{Image: "local/busybox", Cmd: []string{"sleep", "1d"}, Labels: a.Labels},
	}); err != nil {
		t.Fatalf("create the leftover replacement: %v", err)
	}
	// b: the old one was removed, the rename never happened.
	tmpB := b.ID[:12] + "_" + b.Name
	if _, err := s.e.api.ContainerRename(ctx, b.ID, client.ContainerRenameOptions{NewName: tmpB}); err != nil {
		t.Fatalf("rename b: %v", err)
	}

	var steps stepLog
	changed := strings.ReplaceAll(interruptedStack, "MODE: one", "MODE: two")
	if err := s.e.Up(ctx, s.load(changed), UpOptions{Progress: steps.fn()}); err != nil {
		t.Fatalf("up after the interruption: %v", err)
	}
	byService := map[string][]Container{}
	for _, c := range s.ps() {
		if replacementPrefix.MatchString(c.Name) {
			t.Errorf("container %s still has a temporary name", c.Name)
		}
		byService[c.Service] = append(byService[c.Service], c)
	}
	for _, svc := range []string{"a", "b"} {
		cs := byService[svc]
		if len(cs) != 1 {
			t.Fatalf("service %s has %d containers, want 1", svc, len(cs))
		}
		if want := s.Name + "-" + svc + "-1"; cs[0].Name != want || !cs[0].Running() {
			t.Errorf("service %s: got %s (%s), want %s running", svc, cs[0].Name, cs[0].State, want)
		}
		if !slices.Contains(cs[0].Env, "MODE=two") {
			t.Errorf("service %s was not converged to the file: env %v", svc, cs[0].Env)
		}
	}
	if out, code := s.exec("a", "cat", "/data/f"); code != 0 || strings.TrimSpace(out) != "precious" {
		t.Errorf("the named volume lost its data: exit %d, %q", code, out)
	}
	if steps.count(ProgressWarning, "a") == 0 || steps.count(ProgressWarning, "b") == 0 {
		t.Errorf("up did not warn about what it repaired (a: %d, b: %d warnings)", steps.count(ProgressWarning, "a"), steps.count(ProgressWarning, "b"))
	}
}

// TestRemoveContainerAlreadyGone removes a running container that another
// client (here the test; in the fault suite the engine finishing a killed
// up's request) removed first: gone is what was asked for, not an error
// that stops the next up from repairing the stack.
func TestRemoveContainerAlreadyGone(t *testing.T) {
	p := newStreamProject(t)
	id := sleeper(t, p, "local/busybox")
	ctx := context.Background()
	if _, err := p.e.api.ContainerRemove(ctx, id, client.ContainerRemoveOptions{Force: true}); err != nil {
		t.Fatal(err)
	}
	o := observed{ID: id, Name: "gone-meanwhile", State: container.StateRunning}
	if err := p.e.removeContainer(ctx, o, "svc", nil, nil); err != nil {
		t.Errorf("removing a container that is already gone: %v", err)
	}
}
