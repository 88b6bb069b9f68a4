package tui

import (
	"strings"
	"testing"
	"time"
)

// TestViewIsPure: View reads no clock and changes nothing; the time on
// screen is the time of the last message.
func TestViewIsPure(t *testing.T) {
	f, opts := shopModel(t, Options{})
	calls := 0
	now := t0
	opts.Now = func() time.Time { calls++; return now }
	hs := newHarness(t, NewModel(f, opts), 120, 40)
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
		hs := newHarness(t, NewModel(f, opts), w, 24)
		lines := strings.Split(hs.screen(), "\n")
		if last := lines[len(lines)-1]; strings.Contains(last, "…") || !strings.HasPrefix(last, "s shell") {
			t.Errorf("width %d: hints %q", w, last)
		}
	}
}
