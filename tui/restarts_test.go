package tui

import (
	"strings"
	"testing"
	"time"

	"github.com/devstack/devstack/stack"
)

// TestRestartsSeenByTheScreen: the engine counts only restart-policy
// restarts, so RST stayed blank after restarts by hand; the screen counts
// the new starts it sees, but not a start after a stop by the user.
func TestRestartsSeenByTheScreen(t *testing.T) {
	hs, f := tableScreen(t)
	db := shopContainers()[2]
	// seen sends an event about c and waits until the screen has inspected it.
	seen := func(c stack.Container, action stack.EventAction) {
		f.setContainer(c)
		f.events <- []stack.Event{{ContainerID: c.ID, Service: c.Service, Action: action}}
		hs.until("the inspect after "+string(action), func() bool {
			got := hs.m.containers[c.ID]
			return got.State == c.State && got.StartedAt.Equal(c.StartedAt) && got.RestartCount == c.RestartCount
		})
	}
	restartFromOutside := func() {
		db.StartedAt = db.StartedAt.Add(time.Minute)
		seen(db, "start")
	}
	// A container seen created, then started, has not restarted.
	cache := stack.Container{ID: "cache00000000000000000000", Name: "shop-cache-1", Service: "cache", Number: 1,
		State: stack.StateCreated}
	seen(cache, "create")
	cache.State, cache.StartedAt = stack.StateRunning, t0
	seen(cache, "start")
	if got := screenLine(hs.screen(), " cache "); !strings.Contains(got, "running") || strings.Contains(got, "↻") {
		t.Errorf("a first start shows %q, want running and no restart", got)
	}

	restartFromOutside()
	if got := screenLine(hs.screen(), "● db"); !strings.Contains(got, "↻1") {
		t.Errorf("after a restart by hand the db row is %q, want ↻1", got)
	}
	restartFromOutside()
	if got := screenLine(hs.screen(), "● db"); !strings.Contains(got, "↻2") {
		t.Errorf("after two restarts the db row is %q, want ↻2", got)
	}

	// Stop here, then start: not a restart.
	hs.keys("j", "x")
	db.State, db.ExitCode = stack.StateExited, 143
	seen(db, "die")
	if got := screenLine(hs.screen(), " db "); !strings.Contains(got, "○ db") || !strings.Contains(got, "exited (143)") {
		t.Errorf("a stopped db shows %q, want a neutral ○ and exited (143)", got)
	}
	hs.keys("u")
	db.State, db.ExitCode = stack.StateRunning, 0
	db.StartedAt = db.StartedAt.Add(time.Minute)
	seen(db, "start")
	if got := screenLine(hs.screen(), "● db"); !strings.Contains(got, "↻2") {
		t.Errorf("after stop and start the db row is %q, want still ↻2", got)
	}

	// A restart-policy restart is the engine's count, not counted twice.
	db.RestartCount = 1
	db.StartedAt = db.StartedAt.Add(time.Minute)
	seen(db, "start")
	if got := screenLine(hs.screen(), "● db"); !strings.Contains(got, "↻3") {
		t.Errorf("after a policy restart the db row is %q, want ↻3", got)
	}
}

// screenLine is the first screen line containing sub.
func screenLine(screen, sub string) string {
	for _, l := range strings.Split(screen, "\n") {
		if strings.Contains(l, sub) {
			return l
		}
	}
	return ""
}
