package stack

import (
	"context"
	"strings"
	"testing"
)

const hooksCompose = `services:
  web:
    image: local/busybox
    command: sleep 1d
    post_start:
      - command: ["sh", "-c", "echo hello $$WHO from $$(pwd) as $$(id -u)"]
        user: "1234"
        working_dir: /tmp
        environment:
          WHO: hook
    pre_stop:
      - command: ["sh", "-c", "echo draining; touch /tmp/drained"]
`

// TestHooksPostStartAndPreStop checks post_start runs after the start with
// its user, working folder and environment, its output visible as the
// service's output, and pre_stop runs in the running container before it
// stops.
func TestHooksPostStartAndPreStop(t *testing.T) {
	s := newTestStack(t, "hooks")
	requireFixture(t, s.e, "local/busybox")
	p := s.load(hooksCompose)
	ctx := context.Background()
	var log stepLog
	if err := s.e.Up(ctx, p, UpOptions{Progress: log.fn()}); err != nil {
		t.Fatalf("up: %v", err)
	}
	if i := log.index(ProgressOutput, "post_start: hello hook from /tmp as 1234"); i < 0 || i < log.index(ProgressStarted, "") {
		t.Fatalf("post_start output missing or before the start: %+v", log.steps)
	}
	if err := s.e.Stop(ctx, p, LifecycleOptions{Progress: log.fn()}); err != nil {
		t.Fatalf("stop: %v", err)
	}
	drained := log.index(ProgressOutput, "pre_stop: draining")
	if drained < 0 || drained > log.index(ProgressStopping, "") {
		t.Fatalf("pre_stop output missing or after the stop began: %+v", log.steps)
	}
}

// TestHookFailureNamesHookAndOutput checks a failing post_start fails the
// up with the hook, service, status and the hook's stderr.
func TestHookFailureNamesHookAndOutput(t *testing.T) {
	s := newTestStack(t, "hookfail")
	requireFixture(t, s.e, "local/busybox")
	p := s.load(`services:
  web:
    image: local/busybox
    command: sleep 1d
    post_start:
      - command: ["sh", "-c", "echo progress; echo migration failed: no table >&2; exit 3"]
`)
	err := s.e.Up(context.Background(), p, UpOptions{})
	if err == nil {
		t.Fatal("up with a failing post_start hook succeeded")
	}
	for _, want := range []string{"post_start hook of web", "status 3", "migration failed: no table"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q does not contain %q", err, want)
		}
	}
}

// index is the position of the first step of that kind whose text
// contains text ("" any), or -1.
func (l *stepLog) index(kind ProgressKind, text string) int {
	l.mu.Lock()
	defer l.mu.Unlock()
	for i, p := range l.steps {
		if p.Kind == kind && strings.Contains(p.Text, text) {
			return i
		}
	}
	return -1
}
