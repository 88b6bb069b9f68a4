package tui

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/devstack/devstack/stack"
)

// devWatchFake adds the optional DevWatcher capability to the fake; each
// DevWatch hands out the same channel and records its context.
type devWatchFake struct {
	*fakeBackend
	events chan []stack.WatchEvent
	ctxs   *[]context.Context
}

func (w devWatchFake) DevWatch(ctx context.Context, p *stack.Project) <-chan []stack.WatchEvent {
	*w.ctxs = append(*w.ctxs, ctx)
	return w.events
}

func TestWatchToggleShowsEventsAsServiceLines(t *testing.T) {
	f, opts := shopModel(t, Options{})
	var ctxs []context.Context
	w := devWatchFake{f, make(chan []stack.WatchEvent, 4), &ctxs}
	hs := newHarness(t, newModel(context.Background(), w, opts), 120, 40)
	if strings.Contains(hs.screen(), "watch on") {
		t.Fatal("watch shown on before it was switched on")
	}
	hs.keys("W")
	hs.contains("⇄ watch on")
	w.events <- []stack.WatchEvent{
		{Service: "web", Action: stack.WatchSynced, Files: 3, Bytes: 12 << 10, Duration: 38 * time.Millisecond, Containers: 1},
		{Service: "worker", Action: stack.WatchRebuilt, Err: errors.New("build worker: no such file")},
	}
	hs.settle()
	hs.contains("⇄ synced 3 files (12 KiB) in 38 ms")
	hs.contains("✘ rebuild failed: build worker: no such file")
	hs.keys("W")
	if strings.Contains(strings.SplitN(hs.screen(), "\n", 2)[0], "watch on") {
		t.Error("header still says watch on after switching it off")
	}
	if len(ctxs) != 1 || ctxs[0].Err() == nil {
		t.Errorf("switching watch off did not end its context (%d watches)", len(ctxs))
	}
}

func TestWatchKeyDisabledWithoutCapability(t *testing.T) {
	f, opts := shopModel(t, Options{})
	hs := newHarness(t, newModel(context.Background(), f, opts), 120, 40)
	hs.keys("W")
	hs.contains("watch: this backend cannot watch files")
}

func TestWatchEventLine(t *testing.T) {
	for _, tc := range []struct {
		ev   stack.WatchEvent
		want string
	}{
		{stack.WatchEvent{Action: stack.WatchSynced, Files: 1, Bytes: 200, Containers: 1, Duration: 7 * time.Millisecond}, "⇄ synced 1 file (200 B) in 7 ms"},
		{stack.WatchEvent{Action: stack.WatchSynced, Files: 1, Bytes: 200, Duration: 7 * time.Millisecond, Text: "no running container"}, "⇄ not synced: 1 change in 7 ms: no running container"},
		{stack.WatchEvent{Action: stack.WatchSynced, Files: 2, Deleted: 1, Bytes: 3 << 20, Containers: 2, Duration: 1500 * time.Millisecond}, "⇄ synced 2 files (3.0 MiB), deleted 1 path into 2 containers in 1.5 s"},
		{stack.WatchEvent{Action: stack.WatchRebuilt, Duration: 4100 * time.Millisecond}, "↻ rebuilt in 4.1 s"},
		{stack.WatchEvent{Action: stack.WatchRestarted, Err: errors.New("boom")}, "✘ restart failed: boom"},
	} {
		if got := watchEventLine(tc.ev); got != tc.want {
			t.Errorf("got %q, want %q", got, tc.want)
		}
	}
}
