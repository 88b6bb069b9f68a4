package e2e

import (
	"io"
	"net"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

// socketProxy relays a unix socket to the engine's, so a test can cut the
// dashboard off the engine and bring it back without touching the engine
// (restarting dockerd would disturb every other test on the machine).
type socketProxy struct {
	path, target string
	mu           sync.Mutex
	ln           net.Listener
	conns        map[net.Conn]bool
}

func (p *socketProxy) start(t *testing.T) {
	t.Helper()
	ln, err := net.Listen("unix", p.path)
	if err != nil {
		t.Fatalf("proxy listen: %v", err)
	}
	p.mu.Lock()
	p.ln, p.conns = ln, map[net.Conn]bool{}
	p.mu.Unlock()
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			go p.relay(c)
		}
	}()
}

func (p *socketProxy) relay(c net.Conn) {
	up, err := net.Dial("unix", p.target)
	if err != nil {
		c.Close()
		return
	}
	p.mu.Lock()
	p.conns[c], p.conns[up] = true, true
	p.mu.Unlock()
	go func() { _, _ = io.Copy(up, c); up.Close() }()
	_, _ = io.Copy(c, up)
	c.Close()
}

// stop closes the socket and every relayed connection: the engine "goes away".
func (p *socketProxy) stop() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.ln != nil {
		p.ln.Close()
		p.ln = nil
	}
	for c := range p.conns {
		c.Close()
	}
	p.conns = map[net.Conn]bool{}
	os.Remove(p.path)
}

const resilienceStack = `services:
  web:
    image: local/busybox
    init: true
    command: ["sleep", "1d"]
  crash:
    image: local/busybox
    command: ["sh", "-c", "echo boom; exit 1"]
    restart: always
`

// TestDashboardResilience shows, on the real dashboard, a crash-looping
// service, a compose file turning invalid and valid again, and the engine
// going away and coming back, with a change made meanwhile picked up after
// the reconnection — never a crash or a frozen screen.
func TestDashboardResilience(t *testing.T) {
	requireImages(t, "local/busybox")
	dir := t.TempDir()
	file := filepath.Join(dir, "compose.yaml")
	if err := os.WriteFile(file, []byte(resilienceStack), 0o644); err != nil {
		t.Fatal(err)
	}
	name := projectName(t, "resil")
	mustRun(t, dir, "-p", name, "up", "-d")

	proxy := &socketProxy{path: filepath.Join(t.TempDir(), "docker.sock"), target: "/var/run/docker.sock"}
	proxy.start(t)
	t.Cleanup(proxy.stop)
	s := startScreenEnv(t, dir, 120, 40, []string{"DOCKER_HOST=unix://" + proxy.path}, "-p", name)

	s.waitUntil(90*time.Second, "crash shown as crash-looping and web running", func(scr string) bool {
		return strings.Contains(lineWith(scr, " crash "), "crash loop") && strings.Contains(lineWith(scr, " web "), "running")
	})

	// The compose file turns invalid, then valid again.
	if err := os.WriteFile(file, []byte(resilienceStack+"  broken: [\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	s.waitFor(15*time.Second, "compose file: compose.yaml:10")
	if err := os.WriteFile(file, []byte(resilienceStack), 0o644); err != nil {
		t.Fatal(err)
	}
	s.waitUntil(15*time.Second, "the compose-file banner to go", func(scr string) bool {
		return !strings.Contains(scr, "compose file:")
	})

	// The engine goes away; web is stopped meanwhile (through the real socket).
	proxy.stop()
	s.waitFor(30*time.Second, "engine unreachable")
	mustRun(t, dir, "-p", name, "stop", "web")
	proxy.start(t)
	s.waitUntil(60*time.Second, "the reconnection and web shown stopped", func(scr string) bool {
		return !strings.Contains(scr, "engine unreachable") && strings.Contains(lineWith(scr, " web "), "exit")
	})

	s.keys("q")
	s.waitFor(20*time.Second, "DEVSTACK EXITED 0")
}
