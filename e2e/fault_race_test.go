package e2e

import (
	"fmt"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

// TestFaultTwoUpsAtOnce starts two `up -d` on the same project together —
// two devstacks, and devstack racing Compose v5.6.0 — on a fresh stack and
// after a change that recreates everything. Both may not win, but neither
// may leave the stack half-made: whatever they print, one more `up -d`
// reports nothing left to do or converges, with one container per service
// under its final name and no panic.
func TestFaultTwoUpsAtOnce(t *testing.T) {
	requireImages(t, "local/busybox")
	compose := composeBinary(t)
	for _, other := range []string{"devstack", "compose"} {
		t.Run(other, func(t *testing.T) {
			dir := t.TempDir()
			project := projectName(t, "race")
			putFile(t, filepath.Join(dir, "compose.yaml"), killStack(6))
			for round := range 3 {
				putFile(t, filepath.Join(dir, ".env"), fmt.Sprintf("MODE=%d\n", round))
				outs := raceUps(t, dir, project, other, compose)
				for i, out := range outs {
					if strings.Contains(out, "rror") {
						t.Logf("round %d, racer %d failed (allowed when the next up converges): %s", round, i, tailLines(out, 2))
					}
				}
				for _, out := range outs {
					if strings.Contains(out, "panic:") {
						t.Fatalf("round %d: a panic:\n%s", round, out)
					}
				}
				r := devstack(t, dir, "-p", project, "up", "-d")
				if r.code != 0 {
					t.Fatalf("round %d: up after the race failed: exit %d\n%s\nthe racers said:\n%s", round, r.code, r.stderr, strings.Join(outs, "\n---\n"))
				}
				checkConverged(t, project, 6, round)
			}
		})
	}
}

// raceUps runs devstack's up -d and the other tool's up -d at the same
// moment and returns what each printed.
func raceUps(t *testing.T, dir, project, other, compose string) []string {
	t.Helper()
	cmds := []*exec.Cmd{exec.Command(binary, "-p", project, "up", "-d")}
	if other == "devstack" {
		cmds = append(cmds, exec.Command(binary, "-p", project, "up", "-d"))
	} else {
		cmds = append(cmds, exec.Command(compose, "-p", project, "up", "-d"))
	}
	outs := make([]string, len(cmds))
	var wg sync.WaitGroup
	for i, c := range cmds {
		c.Dir = dir
		c.Env = append(cleanEnv(), "NO_COLOR=1")
		wg.Go(func() {
			out, _ := c.CombinedOutput()
			outs[i] = string(out)
		})
	}
	wg.Wait()
	return outs
}

// TestFaultDownUnderTheDashboard takes the stack down from another
// terminal while the dashboard is open on it: the dashboard follows (no
// container left, services shown as not created), keeps answering keys,
// and up from the other terminal brings the rows back.
func TestFaultDownUnderTheDashboard(t *testing.T) {
	requireImages(t, "local/busybox")
	dir := t.TempDir()
	project := projectName(t, "downunder")
	putFile(t, filepath.Join(dir, "compose.yaml"), killStack(3))
	mustRun(t, dir, "-p", project, "up", "-d")
	s := startScreen(t, dir, 140, 40, "-p", project)
	s.waitFor(time.Minute, "3/3 running")
	mustRun(t, dir, "-p", project, "down")
	scr := s.waitFor(30*time.Second, "0/3 running")
	if strings.Contains(scr, "panic") {
		t.Fatalf("the dashboard panicked:\n%s", scr)
	}
	s.keys("j")
	s.waitUntil(5*time.Second, "the selection to move after the down", func(scr string) bool {
		return strings.Contains(selectedRow(scr), "s01")
	})
	mustRun(t, dir, "-p", project, "up", "-d")
	s.waitFor(time.Minute, "3/3 running")
	s.keys("q")
	s.waitFor(10*time.Second, "DEVSTACK EXITED 0")
}
