package backendtest_test

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"io"
	"net"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/devstack/devstack/stack"
	"github.com/devstack/devstack/tui/backendtest"
)

// TestSessionKeepsTheContract runs the Backend contract against the real
// stack.Session on the engine: each case gets its own stack (one service,
// one running container, a named volume), reached through its own proxy
// socket so that cutting "the engine" disturbs nobody else.
func TestSessionKeepsTheContract(t *testing.T) {
	backendtest.Run(t, newSessionWorld)
}

const composeFile = `services:
  web:
    image: local/busybox
    init: true
    command: ["sleep", "300"]
    stop_grace_period: 1s
    volumes: [data:/data]
volumes:
  data:
    name: %NAME%-custom
`

func newSessionWorld(t *testing.T, s backendtest.Setup) backendtest.World {
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	direct, err := stack.Connect(ctx, stack.ConnectOptions{})
	if err != nil {
		t.Fatalf("the contract needs a running Docker engine: %v", err)
	}
	t.Cleanup(func() { direct.Close() })
	if !strings.HasPrefix(direct.Host, "unix://") {
		t.Fatalf("this test proxies a unix socket; the engine is at %s", direct.Host)
	}
	name := "dstest-contract-" + randomHex(t)
	dir := t.TempDir()
	compose := filepath.Join(dir, "compose.yaml")
	if err := os.WriteFile(compose, []byte(strings.ReplaceAll(composeFile, "%NAME%", name)), 0o644); err != nil {
		t.Fatal(err)
	}
	load := stack.LoadOptions{Files: []string{compose}, ProjectName: name}
	p, err := stack.Load(ctx, load)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
		defer cancel()
		if err := direct.Down(ctx, name, nil, stack.DownOptions{Volumes: true}); err != nil {
			t.Errorf("clean up %s: %v", name, err)
		}
	})
	if err := direct.Up(ctx, p, stack.UpOptions{}); err != nil {
		t.Fatalf("up %s: %v (build the fixture images with `bash scripts/fixtures.sh`)", name, err)
	}
	cs, err := direct.Ps(ctx, name, stack.PsOptions{All: true})
	if err != nil || len(cs) != 1 {
		t.Fatalf("ps %s: got %d containers, %v", name, len(cs), err)
	}

	proxy := startProxy(t, strings.TrimPrefix(direct.Host, "unix://"))
	e, err := stack.Connect(ctx, stack.ConnectOptions{Host: "unix://" + proxy.path})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { e.Close() })
	loaded := p
	if !s.Project {
		// Attached by name, in a folder without the compose file.
		load, p = stack.LoadOptions{WorkingDir: t.TempDir(), ProjectName: name}, nil
	}
	return backendtest.World{
		Backend:   stack.NewSession(e, load, p),
		Service:   "web",
		Container: cs[0].ID,
		Volume:    name + "-custom",
		Remove: func(t *testing.T) {
			ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
			defer cancel()
			// down removes the container (and its network), keeping the volume.
			if err := direct.Down(ctx, name, nil, stack.DownOptions{}); err != nil {
				t.Fatal(err)
			}
		},
		CutEngine: func(*testing.T) { proxy.cut() },
		RunOneOff: func(t *testing.T) string {
			ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
			defer cancel()
			res, err := direct.Run(ctx, loaded, stack.RunOptions{Service: "web", Cmd: []string{"sleep", "300"}, Detach: true})
			if err != nil {
				t.Fatalf("run -d web: %v", err)
			}
			return res.ID
		},
	}
}

func randomHex(t *testing.T) string {
	b := make([]byte, 4)
	if _, err := rand.Read(b); err != nil {
		t.Fatal(err)
	}
	return hex.EncodeToString(b)
}

// proxy relays a unix socket to the engine's until cut, which closes the
// listener (removing the socket file) and every open connection: for the
// client, the engine is gone.
type proxy struct {
	path   string
	target string
	mu     sync.Mutex
	ln     net.Listener
	conns  []net.Conn
}

func startProxy(t *testing.T, target string) *proxy {
	p := &proxy{path: filepath.Join(t.TempDir(), "engine.sock"), target: target}
	ln, err := net.Listen("unix", p.path)
	if err != nil {
		t.Fatal(err)
	}
	p.ln = ln
	go p.serve(ln)
	t.Cleanup(p.cut)
	return p
}

func (p *proxy) serve(ln net.Listener) {
	for {
		c, err := ln.Accept()
		if err != nil {
			return
		}
		up, err := net.Dial("unix", p.target)
		if err != nil {
			c.Close()
			continue
		}
		p.mu.Lock()
		p.conns = append(p.conns, c, up)
		p.mu.Unlock()
		go func() { io.Copy(up, c); up.Close() }()
		go func() { io.Copy(c, up); c.Close() }()
	}
}

func (p *proxy) cut() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.ln != nil {
		p.ln.Close()
		p.ln = nil
	}
	for _, c := range p.conns {
		c.Close()
	}
	p.conns = nil
}
