package stack

import (
	"context"
	"errors"
	"strings"
	"testing"
)

const replicasStack = `
services:
  web:
    image: local/busybox
    command: ["sleep", "1d"]
    ports: ["80"]
`

// TestReplicaVerbs covers the verbs that pick among a service's replicas
// or list them: create starts nothing, scale starts two, port picks by
// index and names the container's ports when the private port is not
// published, top lists both replicas, pause and unpause change only what
// is in the matching state, images lists each container.
func TestReplicaVerbs(t *testing.T) {
	s := newTestStack(t, "replicas")
	requireFixture(t, s.e, "local/busybox")
	ctx := context.Background()
	p := s.load(replicasStack)
	if err := s.e.Create(ctx, p, UpOptions{}); err != nil {
		t.Fatalf("create: %v", err)
	}
	if cs := s.ps(); len(cs) != 1 || cs[0].State != StateCreated {
		t.Fatalf("create: got %+v, want one created container", cs)
	}
	if err := s.e.Scale(ctx, p, ScaleOptions{Replicas: map[string]int{"web": 2}}); err != nil {
		t.Fatalf("scale web=2: %v", err)
	}
	cs := s.ps()
	if len(cs) != 2 || !cs[0].Running() || !cs[1].Running() {
		t.Fatalf("scale web=2: got %+v, want two running containers", cs)
	}
	second, err := s.e.Port(ctx, s.Name, p, "web", 80, PortOptions{Index: 2, Protocol: "tcp"})
	if err != nil || len(second) == 0 || second[0].HostPort != cs[1].Ports[0].HostPort {
		t.Errorf("port --index 2 web 80: got %v, %v; want web-2's binding %v", second, err, cs[1].Ports)
	}
	if _, err := s.e.Port(ctx, s.Name, p, "web", 81, PortOptions{Protocol: "tcp"}); err == nil || !strings.Contains(err.Error(), "80/tcp") {
		t.Errorf("port web 81: got %v, want an error naming the container's 80/tcp", err)
	}
	if _, err := s.e.Port(ctx, s.Name, p, "web", 80, PortOptions{Index: 3}); !errors.Is(err, ErrNotCreated) {
		t.Errorf("port --index 3: got %v, want ErrNotCreated", err)
	}
	procs, err := s.e.Top(ctx, s.Name, p, nil)
	if err != nil || len(procs) != 2 || procs[1].Replica != "2" || len(procs[0].Processes) == 0 {
		t.Errorf("top: got %+v, %v; want both replicas with their processes", procs, err)
	}
	if err := s.e.Pause(ctx, s.Name, p, PauseOptions{}); err != nil {
		t.Fatalf("pause: %v", err)
	}
	for _, c := range s.ps() {
		if c.State != StatePaused {
			t.Errorf("after pause %s is %s", c.Name, c.State)
		}
	}
	if err := s.e.Unpause(ctx, s.Name, p, PauseOptions{}); err != nil {
		t.Fatalf("unpause: %v", err)
	}
	imgs, err := s.e.Images(ctx, s.Name, nil, []string{"web"})
	if err != nil || len(imgs) != 2 || imgs[0].Repository != "local/busybox" || imgs[0].Tag != "latest" || imgs[0].Size == 0 {
		t.Errorf("images: got %+v, %v; want local/busybox:latest for both containers", imgs, err)
	}
}
