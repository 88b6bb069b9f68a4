package tui

import (
	"context"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"
	"github.com/devstack/devstack/stack"
)

// TestViewIsPure: View reads no clock and changes nothing; the time on
// screen is the time of the last message.
func TestViewIsPure(t *testing.T) {
	f, opts := shopModel(t, Options{})
	calls := 0
	now := t0
	opts.Now = func() time.Time { calls++; return now }
	hs := newHarness(t, newModel(context.Background(), f, opts), 120, 40)
	before := calls
	first := hs.m.View().Content
	now = now.Add(time.Hour)
	for range 3 {
		if got := hs.m.View().Content; got != first {
			t.Fatal("View drew a different screen without a message")
		}
	}
	if calls != before {
		t.Errorf("View read the clock %d times", calls-before)
	}
	hs.send(tickMsg(now))
	if !strings.Contains(hs.screen(), "2h35m") {
		t.Errorf("after a tick the uptime should have moved on an hour:\n%s", hs.screen())
	}
}

// TestHintsAreNotCut: the key hints leave out what does not fit, whole.
func TestHintsAreNotCut(t *testing.T) {
	for _, w := range []int{40, 60, 80, 120} {
		f, opts := shopModel(t, Options{})
		hs := newHarness(t, newModel(context.Background(), f, opts), w, 24)
		lines := strings.Split(hs.screen(), "\n")
		if last := lines[len(lines)-1]; strings.Contains(last, "…") || !strings.HasPrefix(last, "s shell") {
			t.Errorf("width %d: hints %q", w, last)
		}
	}
}

// TestTickDrawsNothingWhileStatsFlow: at idle the stats sample of every
// second redraws ages, so a tick between two samples draws no frame of its
// own (half the idle dashboard's drawing); once samples stop, the tick
// moves the ages on again.
func TestTickDrawsNothingWhileStatsFlow(t *testing.T) {
	f, opts := shopModel(t, Options{})
	now := t0
	opts.Now = func() time.Time { return now }
	hs := newHarness(t, newModel(context.Background(), f, opts), 120, 40)
	f.stats <- shopStats()
	hs.settle()
	if hs.m.statsAt.IsZero() {
		t.Fatal("the stats sample never reached the screen")
	}
	before := hs.screen()

	now = now.Add(700 * time.Millisecond)
	hs.send(tickMsg(now))
	if !hs.m.frameOK || hs.screen() != before {
		t.Error("a tick 0.7 s after a stats sample drew a frame")
	}

	now = now.Add(time.Hour)
	hs.send(tickMsg(now))
	if !strings.Contains(hs.screen(), "2h35m") {
		t.Errorf("with no stats for an hour the tick should have moved the uptime on:\n%s", hs.screen())
	}
}

// TestFirstScreenFromTheList: the engine's plain list draws the rows
// before Ps has inspected every container, and a list answer that comes
// after Ps does not replace what Ps found.
func TestFirstScreenFromTheList(t *testing.T) {
	f, opts := shopModel(t, Options{})
	m := newModel(context.Background(), f, opts)
	m.Update(tea.WindowSizeMsg{Width: 160, Height: 40})
	m.Update(eventsSubscribedMsg{ch: make(chan []stack.Event)})
	before := strings.Count(ansi.Strip(m.View().Content), "not created")
	m.Update(listQuick(m.ctx, f)())
	screen := ansi.Strip(m.View().Content)
	if after := strings.Count(screen, "not created"); after >= before || !strings.Contains(screen, "OOMKilled (137)") {
		t.Fatalf("the plain list should have drawn the containers' states (%d rows not created before it, %d after):\n%s", before, after, screen)
	}
	if m.following {
		t.Error("the followers started on the plain list; they wait for Ps")
	}
	m.Update(listContainers(m.ctx, f)())
	for _, c := range m.containers {
		if c.Listed {
			t.Fatalf("Ps's answer left %s as listed", c.Name)
		}
	}
	m.Update(listQuick(m.ctx, f)())
	for _, c := range m.containers {
		if c.Listed {
			t.Fatalf("a plain list after Ps replaced %s's details", c.Name)
		}
	}
}
