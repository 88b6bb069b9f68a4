package e2e

import (
	"math/rand"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// monkeyKeys are the keys the monkey presses: every binding of the key
// table and some that mean nothing, except those that leave the screen on
// purpose (q, ctrl+c, the palette whose "quit" a random word may complete
// to, a shell on s/enter, the browser on o, a file on ctrl+s).
var monkeyKeys = []string{
	"j", "k", "g", "G", "Up", "Down", "Home", "End", "PageUp", "PageDown", "C-u", "C-d",
	"Tab", "BTab", "Escape", "Escape", "C-r", "?",
	"r", "x", "u", "R", "b", "D", "y", "v", "n", "N", "i", "l", "a",
	"/", ">", "<", "I", "&", "f", "Space", "t", "w", "T",
	"z", "e", "1", "-", "BSpace",
}

const monkeyStack = `services:
  web:
    image: local/busybox
    init: true
    command: ["sh", "-c", "while :; do echo tick; sleep 1; done"]
    stop_grace_period: 1s
    volumes: [data:/data]
  worker:
    image: local/busybox
    init: true
    command: ["sleep", "1d"]
    stop_grace_period: 1s
    depends_on: [web]
volumes:
  data:
`

// TestDashboardMonkey presses random keys on the real binary against the
// real engine, for a fixed time in each mode a user can be in: attached by
// name without the compose file, cut off from the engine, and with the
// stack down. The dashboard must never panic, and quitting must restore
// the terminal.
func TestDashboardMonkey(t *testing.T) {
	requireImages(t, "local/busybox")
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "compose.yaml"), []byte(monkeyStack), 0o644); err != nil {
		t.Fatal(err)
	}
	name := projectName(t, "monkey")
	mustRun(t, dir, "-p", name, "up", "-d")
	seed := time.Now().UnixNano()
	t.Logf("monkey seed %d", seed)
	rng := rand.New(rand.NewSource(seed))
	proxy := &socketProxy{path: filepath.Join(t.TempDir(), "docker.sock"), target: "/var/run/docker.sock"}
	env := []string{"DOCKER_HOST=unix://" + proxy.path}

	t.Run("no compose file", func(t *testing.T) {
		proxy.start(t)
		defer proxy.stop()
		s := startScreenEnv(t, t.TempDir(), 100, 30, env, "-p", name)
		s.waitFor(30*time.Second, "web")
		monkey(s, rng, 6*time.Second, nil)
		quitRestored(t, s)
	})
	mustRun(t, dir, "-p", name, "up", "-d")
	t.Run("engine cut", func(t *testing.T) {
		proxy.start(t)
		defer proxy.stop()
		s := startScreenEnv(t, dir, 100, 30, env, "-p", name)
		s.waitFor(30*time.Second, "web")
		monkey(s, rng, 6*time.Second, map[time.Duration]func(){
			time.Second:     proxy.stop,
			4 * time.Second: func() { proxy.start(t) },
		})
		quitRestored(t, s)
	})
	mustRun(t, dir, "-p", name, "down")
	t.Run("stack down", func(t *testing.T) {
		proxy.start(t)
		defer proxy.stop()
		s := startScreenEnv(t, dir, 100, 30, env, "-p", name)
		s.waitFor(30*time.Second, "web")
		monkey(s, rng, 6*time.Second, nil)
		quitRestored(t, s)
	})
}

// monkey presses random keys for d, running each event once its time has
// come, and fails as soon as the program has died.
func monkey(s *screen, rng *rand.Rand, d time.Duration, events map[time.Duration]func()) {
	s.t.Helper()
	start := time.Now()
	for time.Since(start) < d {
		for at, fn := range events {
			if time.Since(start) >= at {
				fn()
				delete(events, at)
			}
		}
		keys := make([]string, 1+rng.Intn(4))
		for i := range keys {
			keys[i] = monkeyKeys[rng.Intn(len(monkeyKeys))]
		}
		s.tmux(append([]string{"send-keys", "-t", "e2e"}, keys...)...)
		time.Sleep(60 * time.Millisecond)
		if scr := s.capture(); strings.Contains(scr, "DEVSTACK EXITED") || strings.Contains(scr, "panic") {
			s.t.Fatalf("the dashboard died after keys %v:\n%s", keys, scr)
		}
	}
	for _, fn := range events {
		fn()
	}
}

// quitRestored quits (closing whatever is open first) and expects exit 0
// with the terminal off the alternate screen.
func quitRestored(t *testing.T, s *screen) {
	t.Helper()
	s.keys("Escape", "Escape", "Escape", "n", "Escape", "q")
	deadline := time.Now().Add(15 * time.Second)
	for !strings.Contains(s.capture(), "DEVSTACK EXITED") && time.Now().Before(deadline) {
		time.Sleep(300 * time.Millisecond)
		s.keys("Escape", "q") // a key the monkey left half-typed may still hold the input
	}
	scr := s.waitFor(5*time.Second, "DEVSTACK EXITED")
	if !strings.Contains(scr, "DEVSTACK EXITED 0") || strings.Contains(scr, "panic") {
		t.Fatalf("the dashboard did not quit cleanly:\n%s", scr)
	}
	if alt := strings.TrimSpace(s.tmux("display-message", "-p", "-t", "e2e", "#{alternate_on}")); alt != "0" {
		t.Errorf("terminal still on the alternate screen after quit (alternate_on=%s)", alt)
	}
}
