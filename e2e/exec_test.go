package e2e

import (
	"os"
	"path/filepath"
	"testing"
	"time"
)

// TestExecInteractive opens `devstack exec` with no command in a real
// terminal: it must start a shell (bash when the image has it), give it the
// terminal's size, follow a resize, and pass the shell's exit code through.
func TestExecInteractive(t *testing.T) {
	requireImages(t, "local/busybox-bash")
	dir := t.TempDir()
	compose := "services:\n  box:\n    image: local/busybox-bash\n    init: true\n    command: [\"sleep\", \"1d\"]\n"
	if err := os.WriteFile(filepath.Join(dir, "compose.yaml"), []byte(compose), 0o644); err != nil {
		t.Fatal(err)
	}
	name := projectName(t, "exec")
	mustRun(t, dir, "-p", name, "up", "-d")

	s := startScreen(t, dir, 100, 30, "-p", name, "exec", "box")
	// Type only once the shell prompts, as a person would.
	s.waitFor(30*time.Second, "bash-")
	s.text(`echo "shell=$0 size=$(stty size)"`)
	s.keys("Enter")
	s.waitFor(20*time.Second, "shell=bash size=30 100")
	s.tmux("resize-window", "-t", "e2e", "-x", "120", "-y", "40")
	time.Sleep(500 * time.Millisecond)
	s.text(`echo "now=$(stty size)"`)
	s.keys("Enter")
	s.waitFor(10*time.Second, "now=40 120")
	s.text("exit 4")
	s.keys("Enter")
	s.waitFor(10*time.Second, "DEVSTACK EXITED 4")
}
