package e2e

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestVerbsUnknownService mistypes the service for every verb that takes
// one, with the compose file and with only -p: each exits non-zero with
// one sentence naming the mistyped service and those that exist, and
// changes nothing.
func TestVerbsUnknownService(t *testing.T) {
	dir, name := upStack(t, "unknown", verbsStack)
	verbs := [][]string{
		{"kill", "wbe"}, {"rm", "-f", "wbe"}, {"pause", "wbe"}, {"unpause", "wbe"}, {"top", "wbe"},
		{"port", "wbe", "80"}, {"images", "wbe"}, {"cp", "wbe:/etc/hostname", t.TempDir()}, {"events", "wbe"},
		{"stats", "wbe"}, {"wait", "wbe"}, {"attach", "wbe"},
	}
	withFile := append(verbs, []string{"scale", "wbe=2"}, []string{"create", "wbe"})
	for _, c := range []struct {
		dir   string
		verbs [][]string
	}{{dir, withFile}, {t.TempDir(), verbs}} { // the second folder has no compose file
		for _, v := range c.verbs {
			r := devstack(t, c.dir, append([]string{"-p", name}, v...)...)
			if r.code == 0 || !strings.Contains(r.stderr, `no such service "wbe"`) || !strings.Contains(r.stderr, "web, worker") ||
				strings.Count(strings.TrimSpace(r.stderr), "\n") > 0 {
				t.Errorf("%v: exit %d, stderr %q; want one line naming wbe and the services web, worker", v, r.code, r.stderr)
			}
		}
	}
	ps := mustRun(t, dir, "-p", name, "ps", "-a").stdout
	if strings.Count(ps, "Up ") != 2 {
		t.Errorf("a verb on a mistyped service changed the stack:\n%s", ps)
	}
}

// attachStack reads one line from its stdin, answers and exits 4.
const attachStack = `services:
  echo:
    image: local/busybox
    stdin_open: true
    command: ["sh", "-c", "read line; echo \"got $$line\"; exit 4"]
`

// TestAttachMatchesCompose attaches to a service's main process without a
// terminal, with devstack and with compose, each on its own fresh stack:
// the input reaches the process (its log shows the answer) and the exit
// code is the container's. devstack also prints the answer; compose v5.6.0
// without a terminal does not (its output stream ends first), so that is
// checked for devstack only.
func TestAttachMatchesCompose(t *testing.T) {
	requireImages(t, "local/busybox")
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "compose.yaml"), []byte(attachStack), 0o644)
	for _, tl := range []tool{{"devstack", binary}, {"compose", composeBinary(t)}} {
		name := projectName(t, "attach")
		mustRun(t, dir, "-p", name, "up", "-d")
		r := tl.runInput(t, dir, "hello\n", "-p", name, "attach", "echo")
		logs, _ := exec.Command("docker", "logs", name+"-echo-1").CombinedOutput()
		if r.code != 4 || !strings.Contains(string(logs), "got hello") {
			t.Errorf("%s attach: exit %d, container log %q, stderr %q; want exit 4 and \"got hello\"", tl.name, r.code, logs, r.stderr)
		}
		if tl.name == "devstack" && !strings.Contains(r.stdout, "got hello") {
			t.Errorf("devstack attach printed %q, want the process's answer", r.stdout)
		}
	}
}

// TestAttachTerminal attaches in a real terminal to a service that runs a
// shell with a TTY: the shell gets the terminal's size and follows a
// resize, ctrl-p ctrl-q detaches leaving it running (exit 0), and a second
// attach ends with the shell's exit code.
func TestAttachTerminal(t *testing.T) {
	compose := "services:\n  box:\n    image: local/busybox\n    tty: true\n    stdin_open: true\n    command: [\"sh\"]\n"
	dir, name := upStack(t, "attachtty", compose)

	s := startScreen(t, dir, 100, 30, "-p", name, "attach", "box")
	time.Sleep(time.Second) // attached: the shell prompted before, so type blind
	s.text(`echo "size=$(stty size)"`)
	s.keys("Enter")
	s.waitFor(20*time.Second, "size=30 100")
	s.tmux("resize-window", "-t", "e2e", "-x", "120", "-y", "40")
	time.Sleep(500 * time.Millisecond)
	s.text(`echo "now=$(stty size)"`)
	s.keys("Enter")
	s.waitFor(10*time.Second, "now=40 120")
	s.keys("C-p", "C-q")
	s.waitFor(10*time.Second, "DEVSTACK EXITED 0")
	if st, _ := exec.Command("docker", "inspect", "-f", "{{.State.Running}}", name+"-box-1").Output(); strings.TrimSpace(string(st)) != "true" {
		t.Fatalf("after detaching the shell should still run, state %q", st)
	}

	again := startScreen(t, dir, 100, 30, "-p", name, "attach", "box")
	time.Sleep(time.Second)
	again.text("exit 5")
	again.keys("Enter")
	again.waitFor(10*time.Second, "DEVSTACK EXITED 5")
}
