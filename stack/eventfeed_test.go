package stack

import (
	"context"
	"testing"
	"time"
)

// TestEventFeedShared checks that the dashboard's three followers of a
// project (events, stats, logs) share one engine subscription, that all
// of them receive what happens, and that the subscription ends with the
// last of them.
func TestEventFeedShared(t *testing.T) {
	p := newStreamProject(t)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	evs := p.e.Events(ctx, p.name)
	stats := p.e.Stats(ctx, p.name, StatsOptions{Interval: 200 * time.Millisecond})
	logs, err := p.e.Logs(ctx, p.name, LogsOptions{Follow: true, Tail: -1})
	if err != nil {
		t.Fatal(err)
	}
	if got := len(p.e.feeds.byProject); got != 1 {
		t.Fatalf("got %d event subscriptions with the engine, want 1", got)
	}
	if got := p.e.feeds.subscribers(p.name); got != 3 {
		t.Fatalf("got %d subscribers of the feed, want 3 (events, stats, logs)", got)
	}
	// A container that starts afterwards reaches all three: the events
	// stream sees its start, the stats scheduler samples it, the log
	// follower picks up its line.
	id := p.run(t, ctrSpec{Cmd: []string{"sh", "-c", "echo hello-feed; sleep 30"}})
	deadline := time.After(20 * time.Second)
	var sawStart, sawStats, sawLog bool
	for !(sawStart && sawStats && sawLog) {
		select {
		case b := <-evs:
			for _, ev := range b {
				sawStart = sawStart || ev.ContainerID == id && ev.Action == ActionStart
			}
		case b := <-stats:
			for _, s := range b {
				sawStats = sawStats || s.ContainerID == id
			}
		case b := <-logs:
			for _, l := range b {
				sawLog = sawLog || l.ContainerID == id && l.Text == "hello-feed"
			}
		case <-deadline:
			t.Fatalf("after 20s: start event %v, stats %v, log line %v", sawStart, sawStats, sawLog)
		}
	}
	cancel()
	for end := time.Now().Add(5 * time.Second); time.Now().Before(end); time.Sleep(20 * time.Millisecond) {
		if p.e.feeds.subscribers(p.name) == 0 && len(p.e.feeds.byProject) == 0 {
			return
		}
	}
	t.Fatalf("the feed outlived its subscribers: %d left", p.e.feeds.subscribers(p.name))
}
