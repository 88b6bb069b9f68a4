package e2e

import (
	"fmt"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"
)

// screen is a tmux session running devstack, on a private tmux server so
// it never touches the developer's own sessions.
type screen struct {
	t      *testing.T
	socket string
}

// startScreen runs `devstack args...` in dir under tmux at cols×rows. When
// devstack exits, the pane prints "DEVSTACK EXITED <code>" and stays open.
func startScreen(t *testing.T, dir string, cols, rows int, args ...string) *screen {
	t.Helper()
	return startScreenEnv(t, dir, cols, rows, nil, args...)
}

// startScreenEnv is startScreen with extra KEY=VALUE environment.
func startScreenEnv(t *testing.T, dir string, cols, rows int, env []string, args ...string) *screen {
	t.Helper()
	if _, err := exec.LookPath("tmux"); err != nil {
		t.Fatal("tmux is not installed: apt-get install tmux (.ci/run installs it)")
	}
	s := &screen{t: t, socket: fmt.Sprintf("devstack-e2e-%d", time.Now().UnixNano())}
	quoted := make([]string, len(args))
	for i, a := range args {
		quoted[i] = "'" + strings.ReplaceAll(a, "'", `'\''`) + "'"
	}
	shell := fmt.Sprintf("cd '%s' && env -u COMPOSE_FILE -u COMPOSE_PROJECT_NAME -u COMPOSE_PROFILES TERM=xterm-256color %s %s %s; echo DEVSTACK EXITED $?; sleep 3600",
		dir, strings.Join(env, " "), binary, strings.Join(quoted, " "))
	s.tmux("new-session", "-d", "-s", "e2e", "-x", fmt.Sprint(cols), "-y", fmt.Sprint(rows), shell)
	t.Cleanup(func() { killTmux(s.socket) })
	return s
}

func (s *screen) tmux(args ...string) string {
	s.t.Helper()
	out, err := exec.Command("tmux", append([]string{"-L", s.socket}, args...)...).CombinedOutput()
	if err != nil {
		s.t.Fatalf("tmux %v: %v: %s", args, err, out)
	}
	return string(out)
}

// keys sends tmux key names (Enter, Escape, Tab, j, ...) one at a time, a
// moment apart as a person types: an Escape followed at once by another
// sequence would read as one alt-modified key.
func (s *screen) keys(keys ...string) {
	s.t.Helper()
	for _, k := range keys {
		s.tmux("send-keys", "-t", "e2e", k)
		time.Sleep(80 * time.Millisecond)
	}
}

// text types a literal string.
func (s *screen) text(str string) {
	s.t.Helper()
	s.tmux("send-keys", "-t", "e2e", "-l", str)
}

// capture is the visible screen as plain text.
func (s *screen) capture() string {
	s.t.Helper()
	return s.tmux("capture-pane", "-p", "-t", "e2e")
}

// waitFor polls the screen until every want string is on it.
func (s *screen) waitFor(timeout time.Duration, want ...string) string {
	s.t.Helper()
	deadline := time.Now().Add(timeout)
	var last string
	for time.Now().Before(deadline) {
		last = s.capture()
		ok := true
		for _, w := range want {
			if !strings.Contains(last, w) {
				ok = false
				break
			}
		}
		if ok {
			return last
		}
		time.Sleep(150 * time.Millisecond)
	}
	s.t.Fatalf("screen never showed %q within %s; last screen:\n%s", want, timeout, last)
	return ""
}

// waitUntil polls the screen until ok says yes.
func (s *screen) waitUntil(timeout time.Duration, what string, ok func(screen string) bool) string {
	s.t.Helper()
	deadline := time.Now().Add(timeout)
	var last string
	for time.Now().Before(deadline) {
		last = s.capture()
		if ok(last) {
			return last
		}
		time.Sleep(150 * time.Millisecond)
	}
	s.t.Fatalf("screen never showed %s within %s; last screen:\n%s", what, timeout, last)
	return ""
}

// selectedRow is the services-table row marked with the cursor (›).
func selectedRow(screen string) string {
	for _, l := range strings.Split(screen, "\n") {
		if strings.HasPrefix(l, "›") {
			return l
		}
	}
	return ""
}

// killTmux stops a private tmux server and removes its socket file.
func killTmux(socket string) {
	path, _ := exec.Command("tmux", "-L", socket, "display-message", "-p", "#{socket_path}").Output()
	_ = exec.Command("tmux", "-L", socket, "kill-server").Run()
	if p := strings.TrimSpace(string(path)); p != "" {
		_ = os.Remove(p)
	}
}
