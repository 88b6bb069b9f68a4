package stack

import (
	"context"
	"io"
	"net"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/moby/moby/api/types/container"
	"github.com/moby/moby/api/types/events"
	"github.com/moby/moby/client"
)

// eventLog gathers a project's events as the stream delivers them.
type eventLog struct {
	mu  sync.Mutex
	all []Event
	hit chan struct{}
}

func watchEvents(ctx context.Context, e *Engine, project string) *eventLog {
	l := &eventLog{hit: make(chan struct{}, 1)}
	ch := e.Events(ctx, project)
	go func() {
		for batch := range ch {
			l.mu.Lock()
			l.all = append(l.all, batch...)
			l.mu.Unlock()
			signal(l.hit)
		}
	}()
	return l
}

// await waits until an event matches, failing the test after timeout.
func (l *eventLog) await(t *testing.T, what string, match func(Event) bool) Event {
	t.Helper()
	deadline := time.After(20 * time.Second)
	for {
		l.mu.Lock()
		for _, ev := range l.all {
			if match(ev) {
				l.mu.Unlock()
				return ev
			}
		}
		l.mu.Unlock()
		select {
		case <-l.hit:
		case <-deadline:
			t.Fatalf("no %s event in %d events: %v", what, len(l.all), l.snapshot())
		}
	}
}

func (l *eventLog) snapshot() []Event {
	l.mu.Lock()
	defer l.mu.Unlock()
	return append([]Event(nil), l.all...)
}

func action(id string, act EventAction) func(Event) bool {
	return func(ev Event) bool { return ev.ContainerID == id && ev.Action == act }
}

func TestEventsLifecycle(t *testing.T) {
	p := newStreamProject(t)
	other := newStreamProject(t)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	log := watchEvents(ctx, p.e, p.name)

	exits := p.run(t, ctrSpec{Service: "job", Cmd: []string{"sh", "-c", "exit 3"}})
	log.await(t, "start", action(exits, "start"))
	die := log.await(t, "die", action(exits, "die"))
	if die.ExitCode != 3 || die.Service != "job" {
		t.Errorf("die event: got exit %d service %q, want 3 job", die.ExitCode, die.Service)
	}

	killed := p.run(t, ctrSpec{Service: "sleeper", Cmd: []string{"sleep", "300"}})
	if _, err := p.e.api.ContainerKill(ctx, killed, client.ContainerKillOptions{Signal: "KILL"}); err != nil {
		t.Fatal(err)
	}
	log.await(t, "kill", action(killed, "kill"))
	if ev := log.await(t, "die", action(killed, "die")); ev.ExitCode != 137 {
		t.Errorf("die after SIGKILL: got exit %d, want 137", ev.ExitCode)
	}

	stopped := p.run(t, ctrSpec{Service: "sleeper", Cmd: []string{"sleep", "300"}})
	timeout := 1
	if _, err := p.e.api.ContainerStop(ctx, stopped, client.ContainerStopOptions{Timeout: &timeout}); err != nil {
		t.Fatal(err)
	}
	log.await(t, "stop", action(stopped, "stop"))

	foreign := other.run(t, ctrSpec{Cmd: []string{"true"}})
	other.wait(t, foreign)
	// An event of this project that happens after the foreign container's
	// events marks the point by which they would have arrived.
	marker := p.run(t, ctrSpec{Cmd: []string{"true"}})
	log.await(t, "die", action(marker, "die"))
	for _, ev := range log.snapshot() {
		if ev.ContainerID == foreign {
			t.Errorf("event of another project delivered: %+v", ev)
		}
	}
}

func TestEventsHealthWithoutExec(t *testing.T) {
	p := newStreamProject(t)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	log := watchEvents(ctx, p.e, p.name)

	id := p.run(t, ctrSpec{
		Service: "db",
		Cmd:     []string{"sleep", "300"},
		Healthcheck: &container.HealthConfig{
			Test:     []string{"CMD-SHELL", "true"},
			Interval: 200 * time.Millisecond,
			Retries:  1,
		},
	})
	log.await(t, "healthy", func(ev Event) bool {
		return ev.ContainerID == id && ev.Action == ActionHealthStatus && ev.Health == HealthHealthy
	})
	// Let a few more checks run: each one makes the engine emit three
	// exec_* events that must not come through.
	time.Sleep(time.Second)
	for _, ev := range log.snapshot() {
		if strings.HasPrefix(string(ev.Action), "exec_") {
			t.Fatalf("exec event delivered: %+v", ev)
		}
	}
}

func TestToEventNormalises(t *testing.T) {
	tests := []struct {
		action string
		want   EventAction
		health Health
		keep   bool
	}{
		{"health_status: healthy", ActionHealthStatus, HealthHealthy, true},
		{"health_status:unhealthy", ActionHealthStatus, HealthUnhealthy, true},
		{"health_status", ActionHealthStatus, HealthNone, true},
		{"exec_create: sh -c true", "", "", false},
		{"exec_die", "", "", false},
		{"start", ActionStart, "", true},
		{"destroy", ActionDestroy, "", true},
	}
	for _, tt := range tests {
		ev, ok := toEvent(events.Message{Action: events.Action(tt.action), TimeNano: 1})
		if ok != tt.keep || (ok && (ev.Action != tt.want || ev.Health != tt.health)) {
			t.Errorf("toEvent(%q): got %q/%q kept=%v, want %q/%q kept=%v", tt.action, ev.Action, ev.Health, ok, tt.want, tt.health, tt.keep)
		}
	}
}

// TestEventsReconnect cuts the connection between devstack and the engine
// (through a proxy socket, without touching the engine), starts a container
// while it is cut, and expects engine-down, engine-up, then that
// container's start delivered from the resubscription.
func TestEventsReconnect(t *testing.T) {
	p := newStreamProject(t)
	if !strings.HasPrefix(p.e.Host, "unix://") {
		t.Fatalf("this test proxies a unix socket; the engine is at %s", p.e.Host)
	}
	proxy := newSocketProxy(t, strings.TrimPrefix(p.e.Host, "unix://"))
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	viaProxy, err := Connect(ctx, ConnectOptions{Host: "unix://" + proxy.path})
	if err != nil {
		t.Fatal(err)
	}
	defer viaProxy.Close()
	log := watchEvents(ctx, viaProxy, p.name)

	before := p.run(t, ctrSpec{Cmd: []string{"true"}})
	log.await(t, "die", action(before, "die"))

	proxy.cut()
	log.await(t, "engine-down", func(ev Event) bool { return ev.Action == EventEngineDown })
	during := p.run(t, ctrSpec{Cmd: []string{"true"}})
	p.wait(t, during)
	proxy.resume(t)
	log.await(t, "engine-up", func(ev Event) bool { return ev.Action == EventEngineUp })
	log.await(t, "start while cut", action(during, "start"))

	var seen int
	for _, ev := range log.snapshot() {
		if ev.ContainerID == before && ev.Action == "start" {
			seen++
		}
	}
	if seen != 1 {
		t.Errorf("start of the container before the cut delivered %d times, want 1", seen)
	}
}

// socketProxy forwards a unix socket to the engine's and can drop every
// connection at once.
type socketProxy struct {
	path, target string
	mu           sync.Mutex
	ln           net.Listener
	conns        []net.Conn
}

func newSocketProxy(t *testing.T, target string) *socketProxy {
	s := &socketProxy{path: filepath.Join(t.TempDir(), "engine.sock"), target: target}
	s.resume(t)
	t.Cleanup(s.cut)
	return s
}

func (s *socketProxy) resume(t *testing.T) {
	ln, err := net.Listen("unix", s.path)
	if err != nil {
		t.Fatal(err)
	}
	s.mu.Lock()
	s.ln = ln
	s.mu.Unlock()
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			up, err := net.Dial("unix", s.target)
			if err != nil {
				c.Close()
				continue
			}
			s.mu.Lock()
			s.conns = append(s.conns, c, up)
			s.mu.Unlock()
			go func() { io.Copy(up, c); up.Close() }()
			go func() { io.Copy(c, up); c.Close() }()
		}
	}()
}

func (s *socketProxy) cut() {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.ln != nil {
		s.ln.Close()
		s.ln = nil
	}
	for _, c := range s.conns {
		c.Close()
	}
	s.conns = nil
}
