package e2e

import (
	"os/exec"
	"strings"
	"testing"
	"time"
	"unicode/utf8"
)

// TestDashboardAppDB drives the real dashboard on the example app+MariaDB
// stack under tmux, as a developer would: it opens with `devstack up`,
// selects a service, searches the logs, opens a shell and exits it with a
// code, rebuilds the app from another Dockerfile stage, sees a service
// stopped from outside, follows a resize, takes the stack down with
// confirmation and quits with the terminal restored.
func TestDashboardAppDB(t *testing.T) {
	requireImages(t, "local/busybox", "local/mariadb:test")
	dir, _ := appdbExample(t)
	name := projectName(t, "tui")
	s := startScreen(t, dir, 120, 40, "-p", name, "up")

	scr := s.waitFor(4*time.Minute, "devstack "+name, "2/2 running")
	if row := selectedRow(scr); !strings.Contains(row, "app") {
		t.Fatalf("first selected row should be app, got %q", row)
	}

	// Select a service.
	s.keys("j")
	s.waitUntil(5*time.Second, "db selected", func(scr string) bool { return strings.Contains(selectedRow(scr), "db") })

	// Search the logs: the pane says what it searches and pauses on a match.
	s.keys("Tab", "/")
	s.text("ready for connections")
	s.keys("Enter")
	s.waitFor(10*time.Second, "search /ready for connections")
	s.keys("Escape", "BTab")

	// Exec a shell in app, leave it with a code; the next key must not be lost.
	s.keys("k")
	s.waitUntil(5*time.Second, "app selected", func(scr string) bool { return strings.Contains(selectedRow(scr), "app") })
	s.keys("s")
	s.waitFor(20*time.Second, "BusyBox")
	s.text("exit 3")
	s.keys("Enter")
	s.waitFor(20*time.Second, "shell in app exited with code 3")
	s.keys("j")
	s.waitUntil(5*time.Second, "the first key after the shell to move the selection", func(scr string) bool {
		return strings.Contains(selectedRow(scr), "db")
	})

	// Rebuild app from the test stage; only app is recreated.
	dbBefore := containerID(t, name, "db")
	s.keys("k", "b")
	scr = s.waitFor(20*time.Second, "Rebuild app from stage", "test")
	if !strings.Contains(lineWith(scr, " dev "), "configured") {
		t.Errorf("the configured target dev should be marked in the picker:\n%s", scr)
	}
	s.keys("j", "Enter")
	s.waitFor(4*time.Minute, "rebuilt app (test)")
	stage := mustRun(t, dir, "-p", name, "exec", "-T", "app", "sh", "-c", "echo $APP_STAGE")
	if got := strings.TrimSpace(stage.stdout); got != "test" {
		t.Errorf("after the rebuild the app container runs stage %q, want test", got)
	}
	if after := containerID(t, name, "db"); after != dbBefore {
		t.Errorf("rebuilding app recreated db too (%s -> %s)", dbBefore, after)
	}
	s.keys("Escape")

	// A restart from the dashboard is counted, though the engine counts
	// only restart-policy restarts. (Escape left the keys on the log pane.)
	s.keys("BTab", "r")
	s.waitUntil(60*time.Second, "app's restart counted", func(scr string) bool {
		return strings.Contains(lineWith(scr, " app "), "↻1") && strings.Contains(lineWith(scr, " app "), "running")
	})

	// A service stopped from outside shows as stopped, not as failed.
	mustRun(t, dir, "-p", name, "stop", "app")
	scr = s.waitUntil(30*time.Second, "app shown as exited", func(scr string) bool {
		return strings.Contains(lineWith(scr, " app "), "exit")
	})
	if row := lineWith(scr, " app "); strings.Contains(row, "✗") || !strings.Contains(row, "○") {
		t.Errorf("a stopped app is shown as failed: %q", row)
	}

	// Resize: the screen redraws within the new width.
	s.tmux("resize-window", "-t", "e2e", "-x", "80", "-y", "24")
	s.waitUntil(10*time.Second, "a redraw at 80 columns", func(scr string) bool {
		lines := strings.Split(strings.TrimRight(scr, "\n"), "\n")
		if len(lines) > 24 || !strings.Contains(lines[0], "devstack "+name) {
			return false
		}
		for _, l := range lines {
			if utf8.RuneCountInString(l) > 80 {
				return false
			}
		}
		return true
	})

	// Down with confirmation; the named volume stays.
	s.keys("D")
	s.waitFor(10*time.Second, `Down the stack "`+name+`"?`)
	s.keys("y")
	deadline := time.Now().Add(2 * time.Minute)
	for containerCount(t, name) > 0 {
		if time.Now().After(deadline) {
			t.Fatalf("containers left after down:\n%s", s.capture())
		}
		time.Sleep(300 * time.Millisecond)
	}
	if err := exec.Command("docker", "volume", "inspect", name+"_dbdata").Run(); err != nil {
		t.Errorf("down from the dashboard removed the named volume")
	}

	// Quit: the program exits 0 and the terminal leaves the alternate screen.
	s.keys("q")
	s.waitFor(20*time.Second, "DEVSTACK EXITED 0")
	if alt := strings.TrimSpace(s.tmux("display-message", "-p", "-t", "e2e", "#{alternate_on}")); alt != "0" {
		t.Errorf("terminal still on the alternate screen after quit (alternate_on=%s)", alt)
	}
}

// lineWith returns the first screen line containing sub.
func lineWith(screen, sub string) string {
	for _, l := range strings.Split(screen, "\n") {
		if strings.Contains(l, sub) {
			return l
		}
	}
	return ""
}

// containerID is the ID of a service's first container.
func containerID(t *testing.T, project, service string) string {
	t.Helper()
	out, err := exec.Command("docker", "ps", "-aq", "--filter", "label=com.docker.compose.project="+project,
		"--filter", "label=com.docker.compose.service="+service).Output()
	if err != nil {
		t.Fatalf("docker ps: %v", err)
	}
	return strings.TrimSpace(string(out))
}

// containerCount counts the project's containers.
func containerCount(t *testing.T, project string) int {
	t.Helper()
	out, err := exec.Command("docker", "ps", "-aq", "--filter", "label=com.docker.compose.project="+project).Output()
	if err != nil {
		t.Fatalf("docker ps: %v", err)
	}
	return len(strings.Fields(string(out)))
}
