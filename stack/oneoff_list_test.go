package stack

import (
	"context"
	"slices"
	"testing"
	"time"
)

// TestPsAndLogsWithOneOffs: Ps and Logs leave one-off containers out, as
// `docker compose ps` and `logs` do, unless asked (what the dashboard
// does); then the one-off is listed last and marked, and its lines are
// marked too.
func TestPsAndLogsWithOneOffs(t *testing.T) {
	s := newTestStack(t, "oneofflist")
	requireFixture(t, s.e, "local/busybox")
	p := s.load(runCompose)
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	if err := s.e.Up(ctx, p, UpOptions{}); err != nil {
		t.Fatal(err)
	}
	res, err := s.e.Run(ctx, p, RunOptions{Service: "app", NoDeps: true, Detach: true,
		Cmd: []string{"sh", "-c", "echo one-off-line; exec sleep 300"}})
	if err != nil {
		t.Fatal(err)
	}

	plain := s.ps()
	for _, c := range plain {
		if c.OneOff || c.ID == res.ID {
			t.Errorf("Ps without OneOff lists the one-off %s", c.Name)
		}
	}
	all, err := s.e.Ps(ctx, s.Name, PsOptions{All: true, OneOff: true})
	if err != nil {
		t.Fatal(err)
	}
	if len(all) != len(plain)+1 || all[len(all)-1].ID != res.ID || !all[len(all)-1].OneOff || all[len(all)-1].Service != "app" {
		t.Fatalf("Ps with OneOff: got %d containers (last %+v), want the %d of the services and the one-off last", len(all), all[len(all)-1], len(plain))
	}

	// The line is written once the command runs: wait for it, so the
	// streams below (which end at the lines written so far) have it.
	for deadline := time.Now().Add(60 * time.Second); ; time.Sleep(100 * time.Millisecond) {
		if lines, _ := s.e.lastLogs(ctx, res.ID, 10); slices.Contains(lines, "one-off-line") {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("the one-off wrote no line within 60s")
		}
	}
	for _, withOneOff := range []bool{false, true} {
		ch, err := s.e.Logs(ctx, s.Name, LogsOptions{Tail: -1, OneOff: withOneOff})
		if err != nil {
			t.Fatal(err)
		}
		seen := false
		for batch := range ch {
			for _, l := range batch {
				if l.ContainerID == res.ID {
					seen = true
					if !l.OneOff || l.Text != "one-off-line" || l.ContainerName != res.Name {
						t.Errorf("the one-off's line: got %+v, want one-off-line marked OneOff from %s", l, res.Name)
					}
				} else if l.OneOff {
					t.Errorf("a service's line marked OneOff: %+v", l)
				}
			}
		}
		if seen != withOneOff {
			t.Errorf("Logs with OneOff %v: the one-off's line seen %v", withOneOff, seen)
		}
	}
}
