package stack

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"sync"
	"testing"

	"github.com/moby/moby/client"
)

// The tests below run the real Docker Compose against stacks devstack
// made, and the other way round. No Docker Compose v5 ships with this
// machine's Debian packages, so scripts/compose.sh builds v5.6.0 from its Go
// module once into a cache folder; DEVSTACK_COMPOSE_BIN overrides it.

const compatStack = `
services:
  web:
    image: local/busybox
    init: true
    command: ["sleep", "1d"]
    environment:
      MODE: compat
    volumes:
      - data:/data
    tmpfs:
      - /scratch:size=8m
    mem_limit: 64m
    networks:
      default: {}
      back:
        aliases: [store]
  worker:
    image: local/busybox
    init: true
    command: ["sleep", "1d"]
    depends_on:
      web:
        condition: service_started
volumes:
  data: {}
networks:
  back:
    internal: true
    labels:
      tier: back
`

var (
	composeOnce sync.Once
	composeBin  string
	composeErr  error
)

func composeBinary(t testing.TB) string {
	t.Helper()
	if bin := os.Getenv("DEVSTACK_COMPOSE_BIN"); bin != "" {
		return bin
	}
	composeOnce.Do(func() {
		out, err := exec.Command("bash", "../scripts/compose.sh").Output()
		composeBin, composeErr = strings.TrimSpace(string(out)), err
		if ee, ok := err.(*exec.ExitError); ok {
			composeErr = fmt.Errorf("%w: %s", err, ee.Stderr)
		}
	})
	if composeErr != nil {
		t.Fatalf("no Docker Compose v5 to compare with: `bash scripts/compose.sh` failed: %v", composeErr)
	}
	return composeBin
}

// compose runs Docker Compose on the test project and returns its output.
func (s *testStack) compose(bin string, args ...string) string {
	s.t.Helper()
	cmd := exec.Command(bin, append([]string{"-p", s.Name, "-f", "compose.yaml"}, args...)...)
	cmd.Dir = s.Dir
	out, err := cmd.CombinedOutput()
	if err != nil {
		s.t.Fatalf("compose %v: %v\n%s", args, err, out)
	}
	return string(out)
}

// composePs lists container name → ID as Docker Compose sees them.
func (s *testStack) composePs(bin string) map[string]string {
	s.t.Helper()
	out := s.compose(bin, "ps", "-a", "--format", "json", "--no-trunc")
	got := map[string]string{}
	for _, line := range strings.Split(strings.TrimSpace(out), "\n") {
		var c struct{ ID, Name string }
		if line == "" {
			continue
		}
		if err := json.Unmarshal([]byte(line), &c); err != nil {
			s.t.Fatalf("compose ps output %q: %v", line, err)
		}
		got[c.Name] = c.ID
	}
	return got
}

func TestComposeSeesAndKeepsDevstackContainers(t *testing.T) {
	bin := composeBinary(t)
	s := newTestStack(t, "compat")
	requireFixture(t, s.e, "local/busybox")
	p := s.load(compatStack)
	if err := s.e.Up(context.Background(), p, UpOptions{}); err != nil {
		t.Fatalf("up: %v", err)
	}
	ours := idsByName(s.ps())
	if got := s.composePs(bin); !equalMaps(got, ours) {
		t.Fatalf("compose ps: got %v, want devstack's containers %v", got, ours)
	}
	networks := s.networkIDs()
	out := s.compose(bin, "up", "-d")
	if got := idsByName(s.ps()); !equalMaps(got, ours) {
		t.Errorf("compose up -d changed devstack's containers: got %v, want %v\n%s", got, ours, out)
	}
	if got := s.networkIDs(); !equalMaps(got, networks) {
		t.Errorf("compose up -d recreated devstack's networks: got %v, want %v\n%s", got, networks, out)
	}
	s.compose(bin, "down")
	if cs := s.ps(); len(cs) != 0 {
		t.Errorf("compose down left %d containers", len(cs))
	}
}

func TestDevstackAdoptsAComposeStack(t *testing.T) {
	bin := composeBinary(t)
	s := newTestStack(t, "adopt")
	requireFixture(t, s.e, "local/busybox")
	p := s.load(compatStack)
	s.compose(bin, "up", "-d")
	composeLabels := labelsByService(s.ps())
	theirs := idsByName(s.ps())
	if len(theirs) != 2 {
		t.Fatalf("compose up made %d containers, want 2", len(theirs))
	}
	var log stepLog
	if err := s.e.Up(context.Background(), p, UpOptions{Progress: log.fn()}); err != nil {
		t.Fatalf("up: %v", err)
	}
	if got := idsByName(s.ps()); !equalMaps(got, theirs) {
		t.Errorf("devstack up replaced compose's containers: got %v, want %v", got, theirs)
	}
	if n := log.count(ProgressRecreating, "") + log.count(ProgressCreating, "") + log.count(ProgressWarning, ""); n != 0 {
		t.Errorf("devstack up on compose's stack: %d create/recreate/warning steps, want none: %+v", n, log.steps)
	}

	// the same stack made by devstack carries exactly compose's labels
	if err := s.e.Down(context.Background(), s.Name, p, DownOptions{}); err != nil {
		t.Fatalf("down: %v", err)
	}
	if err := s.e.Up(context.Background(), p, UpOptions{}); err != nil {
		t.Fatalf("up: %v", err)
	}
	for svc, want := range composeLabels {
		got := labelsByService(s.ps())[svc]
		if !equalMaps(got, want) {
			t.Errorf("service %s: devstack's labels %v, compose's %v", svc, got, want)
		}
	}
}

func labelsByService(cs []Container) map[string]map[string]string {
	out := map[string]map[string]string{}
	for _, c := range cs {
		out[c.Service] = c.Labels
	}
	return out
}

// networkIDs maps the project's network names to their IDs.
func (s *testStack) networkIDs() map[string]string {
	s.t.Helper()
	res, err := s.e.api.NetworkList(context.Background(), client.NetworkListOptions{
		Filters: make(client.Filters).Add("label", projectLabelFilter(s.Name)),
	})
	if err != nil {
		s.t.Fatal(err)
	}
	out := map[string]string{}
	for _, n := range res.Items {
		out[n.Name] = n.ID
	}
	return out
}
