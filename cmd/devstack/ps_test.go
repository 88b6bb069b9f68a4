package main

import (
	"testing"
	"time"

	"github.com/devstack/devstack/stack"
)

func TestStatusText(t *testing.T) {
	now := time.Date(2026, 11, 26, 12, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		name string
		c    stack.Container
		want string
	}{
		{"running healthy", stack.Container{State: stack.StateRunning, Health: stack.HealthHealthy, StartedAt: now.Add(-3 * time.Minute)}, "Up 3 minutes (healthy)"},
		{"running no health", stack.Container{State: stack.StateRunning, StartedAt: now.Add(-time.Second)}, "Up 1 second"},
		{"just started", stack.Container{State: stack.StateRunning, StartedAt: now}, "Up less than a second"},
		{"exited", stack.Container{State: stack.StateExited, ExitCode: 3, FinishedAt: now.Add(-2 * time.Hour)}, "Exited (3) 2 hours ago"},
		{"oom", stack.Container{State: stack.StateExited, ExitCode: 137, OOMKilled: true, FinishedAt: now.Add(-5 * time.Second)}, "Exited (137) 5 seconds ago (OOMKilled)"},
		{"created", stack.Container{State: stack.StateCreated}, "Created"},
		{"paused", stack.Container{State: stack.StatePaused}, "Paused"},
		{"days", stack.Container{State: stack.StateRunning, StartedAt: now.Add(-72 * time.Hour)}, "Up 3 days"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := statusText(tc.c, now); got != tc.want {
				t.Errorf("got %q, want %q", got, tc.want)
			}
		})
	}
}

func TestParseScale(t *testing.T) {
	got, err := parseScale([]string{"web=3", "db=0"})
	if err != nil || got["web"] != 3 || got["db"] != 0 || len(got) != 2 {
		t.Errorf("got %v, %v; want web=3 db=0", got, err)
	}
	for _, bad := range []string{"web", "web=x", "=3", "web=-1"} {
		if _, err := parseScale([]string{bad}); err == nil {
			t.Errorf("parseScale(%q): got no error", bad)
		}
	}
}

func TestParseSince(t *testing.T) {
	now := time.Date(2026, 11, 26, 12, 0, 0, 0, time.UTC)
	for in, want := range map[string]time.Time{
		"42m":                  now.Add(-42 * time.Minute),
		"2026-11-26T10:00:00Z": time.Date(2026, 11, 26, 10, 0, 0, 0, time.UTC),
		"2026-11-25":           time.Date(2026, 11, 25, 0, 0, 0, 0, time.UTC),
	} {
		got, err := parseSince(in, now)
		if err != nil || !got.Equal(want) {
			t.Errorf("parseSince(%q): got %v, %v; want %v", in, got, err, want)
		}
	}
	if _, err := parseSince("yesterday", now); err == nil {
		t.Error("parseSince(yesterday): got no error")
	}
}

func TestStopTimeout(t *testing.T) {
	if stopTimeout(-1) != nil {
		t.Error("a negative -t should leave the service's stop_grace_period")
	}
	if d := stopTimeout(5); d == nil || *d != 5*time.Second {
		t.Errorf("got %v, want 5s", d)
	}
}

func TestStageText(t *testing.T) {
	for _, tc := range []struct {
		stage, configured, want string
	}{
		{"", "dev", "-"},
		{"dev", "dev", "dev"},
		{"prod", "dev", "prod (file: dev)"},
		{"prod", "", "prod"},
	} {
		if got := stageText(stack.Container{Stage: tc.stage}, tc.configured); got != tc.want {
			t.Errorf("stageText(%q, %q): got %q, want %q", tc.stage, tc.configured, got, tc.want)
		}
	}
}
