package tui

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/devstack/devstack/stack"
)

func TestSubscribesToEventsBeforeListing(t *testing.T) {
	f, opts := shopModel(t, Options{})
	newHarness(t, newModel(context.Background(), f, opts), 80, 24)
	calls := f.Calls()
	ev, ps := slices.Index(calls, "events"), slices.Index(calls, "ps")
	if ev < 0 || ps < 0 || ev > ps {
		t.Fatalf("calls %v: want events before ps", calls)
	}
}

func TestEventInspectsOnlyThatContainer(t *testing.T) {
	hs, f := tableScreen(t)
	before := len(f.Calls())
	c := shopContainers()[0]
	c.State, c.ExitCode = stack.StateExited, 2
	f.setContainer(c)
	f.events <- []stack.Event{{ContainerID: c.ID, Service: "web", Action: "die", ExitCode: 2},
		{ContainerID: c.ID, Action: "exec_start: sh"}}
	hs.settle()
	calls := f.Calls()[before:]
	if !slices.Equal(calls, []string{"inspect " + c.ID}) {
		t.Errorf("after one event the screen called %v, want one targeted inspect", calls)
	}
	hs.contains("exited (2)")
}

func TestContainerRemovedFromOutside(t *testing.T) {
	hs, f := tableScreen(t)
	f.events <- []stack.Event{{ContainerID: "web2000000000000000000", Action: "destroy"}}
	hs.settle()
	if strings.Contains(hs.screen(), "web#2") {
		t.Error("a destroyed container is still shown")
	}
	// A kill whose inspect finds nothing (removed meanwhile) drops the row too.
	f.mu.Lock()
	delete(f.containers, "web1000000000000000000")
	f.mu.Unlock()
	f.events <- []stack.Event{{ContainerID: "web1000000000000000000", Action: "kill"}}
	hs.settle()
	if got := order(hs.m); got != "cache db web worker debug" {
		t.Errorf("rows %q: a service whose containers are gone shows as not created", got)
	}
}

func TestInspectErrorDoesNotCrash(t *testing.T) {
	hs, f := tableScreen(t)
	f.inspectErr["db0000000000000000000000"] = errors.New("connection reset by peer")
	f.events <- []stack.Event{{ContainerID: "db0000000000000000000000", Action: "restart"}}
	hs.settle()
	hs.contains("inspect db0000000000: connection reset by peer")
	hs.contains("● db") // last known state kept
}

func TestEngineDownAndUp(t *testing.T) {
	hs, f := tableScreen(t)
	f.events <- []stack.Event{{Action: stack.EventEngineDown}}
	hs.settle()
	hs.contains("engine unreachable")
	hs.keys("j", "r")
	hs.contains("the engine is not reachable")
	before := len(f.Calls())
	f.events <- []stack.Event{{Action: stack.EventEngineUp}}
	hs.settle()
	if strings.Contains(hs.screen(), "engine unreachable") {
		t.Error("the banner stayed after engine-up")
	}
	if !slices.Contains(f.Calls()[before:], "ps") {
		t.Error("after engine-up the containers were not listed again")
	}
}

func TestClosedStreamsAreReopened(t *testing.T) {
	hs, f := tableScreen(t)
	f.logs <- shopLogs()
	hs.settle()
	close(f.logs)
	close(f.stats)
	close(f.events)
	hs.settle()
	hs.contains("SERVICE") // still drawing
	f.logs = make(chan []stack.LogLine, 4)
	f.stats = make(chan []stack.Stats, 4)
	f.events = make(chan []stack.Event, 4)
	hs.send(resubscribeMsg{stream: streamLogs})
	hs.send(resubscribeMsg{stream: streamEvents})
	f.logs <- []stack.LogLine{{Service: "web", Text: "back again", Time: t0}}
	hs.settle()
	hs.contains("back again")
	calls := f.Calls()
	if n := strings.Count(strings.Join(calls, ","), "ps"); n < 2 {
		t.Errorf("re-subscribing events did not list again: %v", calls)
	}
	if !slices.Contains(calls, "logs tail=-1") {
		t.Errorf("logs were not re-opened from where they stopped: %v", calls)
	}
}

func TestCrashLoopShown(t *testing.T) {
	hs, f := tableScreen(t)
	c := shopContainers()[3]
	for i := 5; i < 8; i++ {
		c.State, c.RestartCount, c.OOMKilled, c.ExitCode = stack.StateRestarting, i, false, 1
		f.setContainer(c)
		f.events <- []stack.Event{{ContainerID: c.ID, Action: "die"}}
		hs.settle()
	}
	hs.contains("↻7")
	hs.contains("crash loop")
}

func TestAttachWithoutComposeFile(t *testing.T) {
	f := newFake(nil, shopContainers()...)
	hs := newHarness(t, newModel(context.Background(), f, Options{ProjectName: "shop", Now: fixedNow, NoColor: true}), 100, 30)
	if got := order(hs.m); got != "db web#1 web#2 worker" {
		t.Errorf("rows from containers alone: %q", got)
	}
	hs.keys("j", "R")
	hs.contains("no compose file loaded")
	hs.keys("r")
	if !hasCall(f, "restart web") {
		t.Errorf("restart works without a compose file: %v", f.Calls())
	}
}

func TestResizeAndTinyTerminal(t *testing.T) {
	hs, _ := tableScreen(t)
	for _, s := range [][2]int{{200, 60}, {40, 10}, {10, 3}, {80, 24}} {
		hs.send(tea_WindowSize(s[0], s[1]))
		got := hs.screen()
		if n := len(strings.Split(got, "\n")); s[1] >= 10 && n != s[1] {
			t.Errorf("%dx%d: %d lines", s[0], s[1], n)
		}
		for i, l := range strings.Split(got, "\n") {
			if w := visibleWidth(l); w > s[0] {
				t.Errorf("%dx%d: line %d is %d wide", s[0], s[1], i, w)
			}
		}
	}
}

func TestQuitCancelsStreams(t *testing.T) {
	hs, _ := tableScreen(t)
	hs.keys("q")
	if !hs.quit {
		t.Error("q did not quit")
	}
	if hs.m.ctx.Err() == nil {
		t.Error("quitting did not cancel the streams' context")
	}
}

// watchingFake adds the optional ProjectWatcher capability to the fake.
type watchingFake struct {
	*fakeBackend
	reloads chan stack.ProjectReload
}

func (w watchingFake) WatchProject(ctx context.Context) <-chan stack.ProjectReload { return w.reloads }

func TestComposeFileTurnsInvalidWhileRunning(t *testing.T) {
	f, opts := shopModel(t, Options{})
	w := watchingFake{f, make(chan stack.ProjectReload, 2)}
	hs := newHarness(t, newModel(context.Background(), w, opts), 100, 30)
	w.reloads <- stack.ProjectReload{Err: errors.New("compose.yaml:12: services.web.image: must be a string")}
	hs.settle()
	hs.contains("compose file: compose.yaml:12: services.web.image: must be a string")
	hs.contains("● web#1") // the last good state stays
	p := shopProject()
	p.Services = p.Services[1:] // cache removed from the file
	w.reloads <- stack.ProjectReload{Project: p}
	hs.settle()
	if s := hs.screen(); strings.Contains(s, "compose file:") || strings.Contains(s, "cache") {
		t.Errorf("a good reload did not replace the project:\n%s", s)
	}
}

func TestImageSizeAskedOncePerImage(t *testing.T) {
	cs := shopContainers()
	for i := range cs {
		cs[i].ImageSize = 0
	}
	f := newFake(shopProject(), cs...)
	f.imageSize = 33 << 20
	_, opts := shopModel(t, Options{})
	hs := newHarness(t, newModel(context.Background(), f, opts), 120, 40)
	n := 0
	for _, c := range f.Calls() {
		if c == "image shop-web" {
			n++
		}
	}
	if n != 1 {
		t.Errorf("shop-web was asked %d times: %v", n, f.Calls())
	}
	hs.contains("shop-web 33MiB")
}

func TestProjectNameFromReload(t *testing.T) {
	f := newFake(shopProject(), shopContainers()...)
	hs := newHarness(t, newModel(context.Background(), f, Options{Now: fixedNow, NoColor: true}), 100, 30)
	calls := f.Calls()
	if calls[0] != "reload" || !slices.Contains(calls, "events") {
		t.Errorf("calls %v: want the project loaded first, then its streams", calls)
	}
	hs.contains("● web#1")
}

// TestLateInspectAfterDestroy: an inspect answer that arrives after the
// container's destroy event (seen in e2e after a rebuild: two app#1 rows)
// does not bring the removed container back.
func TestLateInspectAfterDestroy(t *testing.T) {
	hs, f := tableScreen(t)
	var web2 stack.Container
	for _, c := range shopContainers() {
		if c.ID == "web2000000000000000000" {
			web2 = c
		}
	}
	f.events <- []stack.Event{{ContainerID: web2.ID, Action: stack.ActionDestroy}}
	hs.settle()
	hs.send(containerMsg{id: web2.ID, c: web2})
	hs.settle()
	if strings.Contains(hs.screen(), "web#2") {
		t.Errorf("a late inspect brought the destroyed web#2 back:\n%s", hs.screen())
	}
}

// TestSelectionStaysOnAReplacedContainer: when the selected service's
// container is replaced (recreate, rebuild), the selection stays on that
// service instead of falling to whatever row took its index.
func TestSelectionStaysOnAReplacedContainer(t *testing.T) {
	hs, f := tableScreen(t)
	hs.keys("j", "j", "j") // web#1
	sel, _ := hs.m.table.selected()
	old := hs.m.containers[sel.key]
	repl := old
	repl.ID = "webnew00000000000000000"
	f.setContainer(repl)
	f.events <- []stack.Event{{ContainerID: old.ID, Action: stack.ActionDestroy}, {ContainerID: repl.ID, Action: stack.ActionCreate}}
	hs.until("the replacement's inspect", func() bool { _, ok := hs.m.containers[repl.ID]; return ok })
	got, _ := hs.m.table.selected()
	if got.service != old.Service || got.number != old.Number {
		t.Errorf("after the replacement the selection is %s#%d, want %s#%d", got.service, got.number, old.Service, old.Number)
	}
}
