package e2e

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

const devloopCompose = `services:
  web:
    image: local/busybox
    command: sh -c 'mkdir -p /www && exec httpd -f -p 8080 -h /www'
    develop:
      watch:
        - path: ./www
          target: /www
          action: sync
`

func devloopDir(t *testing.T) string {
	t.Helper()
	requireImages(t, "local/busybox")
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "compose.yaml"), []byte(devloopCompose), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(filepath.Join(dir, "www"), 0o755); err != nil {
		t.Fatal(err)
	}
	return dir
}

// oneOffCount counts the project's one-off containers, stopped ones too.
func oneOffCount(t *testing.T, project string) int {
	t.Helper()
	out, err := exec.Command("docker", "ps", "-aq", "--filter", "label=com.docker.compose.project="+project,
		"--filter", "label=com.docker.compose.oneoff=True").Output()
	if err != nil {
		t.Fatal(err)
	}
	return len(strings.Fields(string(out)))
}

// TestCLIRun runs one-off commands through the binary: the exit code and
// the output come through, and --rm leaves nothing behind.
func TestCLIRun(t *testing.T) {
	dir := devloopDir(t)
	name := projectName(t, "run")
	r := devstack(t, dir, "-p", name, "run", "--rm", "-e", "WHO=e2e", "web", "sh", "-c", "echo hello $WHO; exit 5")
	if r.code != 5 || !strings.Contains(r.stdout, "hello e2e") {
		t.Fatalf("run: exit %d, stdout %q, stderr %q; want 5 and hello e2e", r.code, r.stdout, r.stderr)
	}
	if n := oneOffCount(t, name); n != 0 {
		t.Fatalf("run --rm left %d one-off containers", n)
	}
	r = mustRun(t, dir, "-p", name, "run", "-d", "web", "sleep", "60")
	if !strings.HasPrefix(strings.TrimSpace(r.stdout), name+"-web-run-") || oneOffCount(t, name) != 1 {
		t.Fatalf("run -d printed %q; want the one-off container's name, and it running", r.stdout)
	}
	mustRun(t, dir, "-p", name, "down")
	if n := oneOffCount(t, name); n != 0 {
		t.Fatalf("down left %d one-off containers", n)
	}
}

// TestDashboardWatch opens the dashboard with up --watch, edits a file and
// expects the sync line in the log pane and the new content served.
func TestDashboardWatch(t *testing.T) {
	dir := devloopDir(t)
	name := projectName(t, "dwatch")
	s := startScreen(t, dir, 120, 40, "-p", name, "up", "--watch")
	// Up runs behind the open dashboard: edit once web runs, or there is
	// no container to sync into yet.
	s.waitFor(90*time.Second, "watch on", "1/1 running")
	time.Sleep(500 * time.Millisecond)
	if err := os.WriteFile(filepath.Join(dir, "www", "index.html"), []byte("edited-in-e2e"), 0o644); err != nil {
		t.Fatal(err)
	}
	s.waitFor(60*time.Second, "⇄ synced 1 file (13 B)")
	out, err := exec.Command("docker", "exec", name+"-web-1", "wget", "-qO-", "http://127.0.0.1:8080/index.html").CombinedOutput()
	if err != nil || string(out) != "edited-in-e2e" {
		t.Fatalf("the container serves %q (%v), want the edited content", out, err)
	}
	s.keys("W")
	s.waitUntil(10*time.Second, "the header without watch on", func(screen string) bool {
		return !strings.Contains(strings.SplitN(screen, "\n", 2)[0], "watch on")
	})
	s.keys("q")
	s.waitFor(10*time.Second, "DEVSTACK EXITED 0")
}
