package e2e

import (
	"os/exec"
	"strings"
	"testing"
	"time"
)

// TestDashboardOneOff runs `devstack run -d web sleep 300` while the
// dashboard is open: the one-off container shows in a section of its own
// below the service rows (web does not turn into two replicas), the
// service verbs say why they do not apply to it, its logs are its own,
// and removing it from the dashboard makes the section go. A `run --rm`
// shows while its command runs and goes when it ends.
func TestDashboardOneOff(t *testing.T) {
	dir := devloopDir(t)
	name := projectName(t, "oneoff")
	s := startScreen(t, dir, 120, 40, "-p", name, "up")
	s.waitFor(90*time.Second, "devstack "+name, "1/1 running")

	r := mustRun(t, dir, "-p", name, "run", "-d", "web", "sleep", "300")
	oneOff := strings.TrimSpace(r.stdout)
	if !strings.HasPrefix(oneOff, name+"-web-run-") {
		t.Fatalf("run -d printed %q, want the one-off container's name", r.stdout)
	}
	scr := s.waitUntil(30*time.Second, "the one-off listed apart", func(scr string) bool {
		row := lineWith(scr, oneOff)
		return strings.Contains(row, "running") && strings.Contains(row, "sleep 300")
	})
	lines := strings.Split(scr, "\n")
	web, heading, row := -1, -1, -1
	for i, l := range lines {
		switch {
		case strings.Contains(l, " web ") && !strings.Contains(l, oneOff) && web < 0:
			web = i
		case strings.Contains(l, "ONE-OFF") && strings.Contains(l, "COMMAND"):
			heading = i
		case strings.Contains(l, oneOff):
			row = i
		}
	}
	if web < 0 || heading <= web || row != heading+1 {
		t.Fatalf("want web's row, then the one-off heading, then the one-off (lines %d, %d, %d):\n%s", web, heading, row, scr)
	}
	if strings.Contains(scr, "web#2") || !strings.Contains(lines[0], "1/1 running") {
		t.Errorf("the one-off counts as a replica of web or in the header:\n%s", scr)
	}

	// Select it: the service verbs are refused with a reason.
	s.keys("G")
	s.waitUntil(5*time.Second, "the one-off selected", func(scr string) bool {
		return strings.Contains(selectedRow(scr), oneOff)
	})
	s.keys("r")
	s.waitFor(5*time.Second, "is a one-off container")

	// Its logs are its own pane.
	s.keys("l")
	s.waitFor(5*time.Second, "Logs · "+oneOff)

	// Remove it from the dashboard: it goes from the engine and the screen.
	s.keys("X")
	s.waitUntil(60*time.Second, "the one-off section gone", func(scr string) bool {
		table, _, _ := strings.Cut(scr, "── Logs")
		return !strings.Contains(table, "ONE-OFF") && !strings.Contains(table, oneOff) && strings.Contains(table, " web ")
	})
	if n := oneOffCount(t, name); n != 0 {
		t.Errorf("%d one-off containers left after X", n)
	}

	// run --rm: listed while the command runs, gone when it ends. The
	// command waits for a file, so the dashboard has all the time it
	// needs to see it first.
	run := exec.Command(binary, "-p", name, "run", "--rm", "-T", "web", "sh", "-c", "until [ -e /tmp/done ]; do sleep 0.2; done")
	run.Dir, run.Env = dir, append(cleanEnv(), "NO_COLOR=1")
	if err := run.Start(); err != nil {
		t.Fatal(err)
	}
	ended := make(chan error, 1)
	go func() { ended <- run.Wait() }()
	t.Cleanup(func() { run.Process.Kill() })
	s.waitUntil(60*time.Second, "the run --rm one-off listed", func(scr string) bool {
		return strings.Contains(scr, "ONE-OFF") && strings.Contains(scr, "sh -c until [ -e /tmp/done ]")
	})
	ids, err := exec.Command("docker", "ps", "-q", "--filter", "label=com.docker.compose.project="+name,
		"--filter", "label=com.docker.compose.oneoff=True").Output()
	if err != nil || len(strings.Fields(string(ids))) != 1 {
		t.Fatalf("the running one-off: %q, %v", ids, err)
	}
	if out, err := exec.Command("docker", "exec", strings.TrimSpace(string(ids)), "touch", "/tmp/done").CombinedOutput(); err != nil {
		t.Fatalf("end the one-off's command: %v: %s", err, out)
	}
	select {
	case err := <-ended:
		if err != nil {
			t.Fatalf("run --rm: %v", err)
		}
	case <-time.After(60 * time.Second):
		t.Fatal("run --rm did not end within 60s after its command was told to")
	}
	s.waitUntil(30*time.Second, "the run --rm one-off gone", func(scr string) bool {
		table, _, _ := strings.Cut(scr, "── Logs")
		return !strings.Contains(table, "ONE-OFF") && strings.Contains(table, " web ")
	})

	s.keys("q")
	s.waitFor(20*time.Second, "DEVSTACK EXITED 0")
}
