package stack

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"time"

	"github.com/moby/moby/client"
)

const runCompose = `services:
  app:
    image: local/busybox
    command: sleep 1d
    environment:
      FROM_FILE: yes
    ports: ["8080"]
    depends_on: [db]
    # A command that ends before its post_start hook runs still gives its
    # own exit code.
    post_start:
      - command: ["true"]
  db:
    image: local/busybox
    command: sleep 1d
`

// oneOffs lists the project's one-off containers, stopped ones included.
func (s *testStack) oneOffs() []Container {
	s.t.Helper()
	var out []Container
	for _, c := range s.psAll() {
		if c.OneOff {
			out = append(out, c)
		}
	}
	return out
}

// psAll lists every container of the project, one-off ones included.
func (s *testStack) psAll() []Container {
	s.t.Helper()
	res, err := s.e.api.ContainerList(context.Background(), client.ContainerListOptions{All: true,
		Filters: make(client.Filters).Add("label", projectLabelFilter(s.Name))})
	if err != nil {
		s.t.Fatal(err)
	}
	var out []Container
	for _, sum := range res.Items {
		c, err := s.e.Inspect(context.Background(), sum.ID)
		if err != nil {
			s.t.Fatal(err)
		}
		out = append(out, c)
	}
	return out
}

// TestRunExitCodesAndRemove checks the exit code comes through, the
// output and the -e variables reach the command, dependencies start, and
// --rm leaves nothing after success and failure.
func TestRunExitCodesAndRemove(t *testing.T) {
	s := newTestStack(t, "run")
	requireFixture(t, s.e, "local/busybox")
	p := s.load(runCompose)
	ctx := context.Background()
	var out bytes.Buffer
	res, err := s.e.Run(ctx, p, RunOptions{Service: "app", Remove: true, Env: []string{"EXTRA=1"},
		Cmd: []string{"sh", "-c", "echo $FROM_FILE $EXTRA; exit 7"}, Stdout: &out, Stderr: &out})
	if err != nil || res.ExitCode != 7 || strings.TrimSpace(out.String()) != "yes 1" {
		t.Fatalf("run: code %d, err %v, output %q; want 7, nil, \"yes 1\"", res.ExitCode, err, out.String())
	}
	if !strings.HasPrefix(res.Name, s.Name+"-app-run-") || len(res.Name) != len(s.Name+"-app-run-")+12 {
		t.Errorf("one-off name %q, want %s-app-run-<12 hex digits>", res.Name, s.Name)
	}
	if left := s.oneOffs(); len(left) != 0 {
		t.Fatalf("--rm left %d one-off containers", len(left))
	}
	db := 0
	for _, c := range s.ps() {
		if c.Service == "db" && c.Running() {
			db++
		}
	}
	if db != 1 {
		t.Fatalf("the dependency db has %d running containers, want 1", db)
	}
	if _, err := s.e.Run(ctx, p, RunOptions{Service: "app", Remove: true, Cmd: []string{"/no/such/binary"}}); err == nil {
		t.Fatal("run of a missing binary succeeded")
	}
	if left := s.oneOffs(); len(left) != 0 {
		t.Fatalf("--rm left %d one-off containers after a failed start", len(left))
	}
}

// TestRunCancelledRemoves checks ctrl+c (ctx cancelled) ends the run and
// --rm still removes the container.
func TestRunCancelledRemoves(t *testing.T) {
	s := newTestStack(t, "runcancel")
	requireFixture(t, s.e, "local/busybox")
	p := s.load(runCompose)
	ctx, cancel := context.WithCancel(context.Background())
	time.AfterFunc(2*time.Second, cancel)
	start := time.Now()
	_, err := s.e.Run(ctx, p, RunOptions{Service: "app", NoDeps: true, Remove: true, Cmd: []string{"sleep", "60"}})
	if err == nil || time.Since(start) > 30*time.Second {
		t.Fatalf("cancelled run returned %v after %v", err, time.Since(start))
	}
	if left := s.oneOffs(); len(left) != 0 {
		t.Fatalf("--rm left %d one-off containers after ctrl+c", len(left))
	}
}

// TestRunNoDepsAndDetach checks --no-deps starts nothing else, and a
// detached run keeps running without a container number.
func TestRunNoDepsAndDetach(t *testing.T) {
	s := newTestStack(t, "runnodeps")
	requireFixture(t, s.e, "local/busybox")
	p := s.load(runCompose)
	res, err := s.e.Run(context.Background(), p, RunOptions{Service: "app", NoDeps: true, Detach: true, Cmd: []string{"sleep", "60"}})
	if err != nil {
		t.Fatal(err)
	}
	all := s.psAll()
	if len(all) != 1 || all[0].ID != res.ID || !all[0].Running() || !all[0].OneOff {
		t.Fatalf("after run --no-deps -d: %d containers (%+v), want only the running one-off", len(all), all)
	}
	if _, ok := all[0].Labels[labelNumber]; ok || all[0].Labels[labelOneOff] != "True" || len(all[0].Labels[labelSlug]) != 64 {
		t.Errorf("one-off labels %v: want oneoff True, a 64-digit slug and no container number", all[0].Labels)
	}
	if len(all[0].Ports) != 0 {
		t.Errorf("a one-off container publishes %v, want nothing without --service-ports", all[0].Ports)
	}
}

// TestRunOneOffMatchesCompose runs the same one-off with Docker Compose
// v5.6.0 and devstack and compares their labels (the random slug and the
// config hash, which covers the random container name, excepted); then
// each tool's down removes the other's one-off containers.
func TestRunOneOffMatchesCompose(t *testing.T) {
	bin := composeBinary(t)
	s := newTestStack(t, "runcompat")
	requireFixture(t, s.e, "local/busybox")
	p := s.load(runCompose)
	s.compose(bin, "run", "-d", "--no-deps", "app", "sleep", "60")
	if _, err := s.e.Run(context.Background(), p, RunOptions{Service: "app", NoDeps: true, Detach: true, Cmd: []string{"sleep", "60"}}); err != nil {
		t.Fatal(err)
	}
	ones := s.oneOffs()
	if len(ones) != 2 {
		t.Fatalf("%d one-off containers, want compose's and devstack's", len(ones))
	}
	strip := func(l map[string]string) map[string]string {
		out := map[string]string{}
		for k, v := range l {
			if k != labelSlug && k != labelConfigHash {
				out[k] = v
			}
		}
		return out
	}
	a, b := strip(ones[0].Labels), strip(ones[1].Labels)
	for k := range mergeKeys(a, b) {
		if a[k] != b[k] {
			t.Errorf("label %s: %s has %q, %s has %q", k, ones[0].Name, a[k], ones[1].Name, b[k])
		}
	}
	out := s.compose(bin, "ps", "-a", "--format", "{{.Name}}")
	for _, c := range ones {
		if !strings.Contains(out, c.Name) {
			t.Errorf("compose ps -a does not list %s:\n%s", c.Name, out)
		}
	}
	// Compose v5.6 removes one-off containers on down only with
	// --remove-orphans; devstack's down always does.
	s.compose(bin, "down", "--remove-orphans")
	if left := s.oneOffs(); len(left) != 0 {
		t.Fatalf("compose down --remove-orphans left %d one-off containers", len(left))
	}
	s.compose(bin, "run", "-d", "--no-deps", "app", "sleep", "60")
	if err := s.e.Down(context.Background(), s.Name, p, DownOptions{}); err != nil {
		t.Fatal(err)
	}
	if left := s.oneOffs(); len(left) != 0 {
		t.Fatalf("devstack down left %d of compose's one-off containers", len(left))
	}
}

func mergeKeys(ms ...map[string]string) map[string]bool {
	out := map[string]bool{}
	for _, m := range ms {
		for k := range m {
			out[k] = true
		}
	}
	return out
}
