package tui

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/devstack/devstack/stack"
)

// shopOneOff is a one-off container of web (`devstack run -d web sleep
// 300`), started n minutes before t0.
func shopOneOff(n int) stack.Container {
	return stack.Container{ID: fmt.Sprintf("run%d000000000000000000000", n), Name: fmt.Sprintf("shop-web-run-%d0a1b2c3d4e5", n),
		Service: "web", OneOff: true, State: stack.StateRunning, Created: t0.Add(-time.Duration(n) * time.Minute),
		StartedAt: t0.Add(-time.Duration(n) * time.Minute), Image: "shop-web", ImageSize: 187 << 20, Command: "sleep 300"}
}

// oneOffScreen is the shop stack with one-off containers, listed.
func oneOffScreen(t *testing.T, w, h int, oneOffs ...stack.Container) (*harness, *fakeBackend) {
	f, opts := shopModel(t, Options{})
	for _, c := range oneOffs {
		f.setContainer(c)
	}
	hs := newHarness(t, newModel(context.Background(), f, opts), w, h)
	hs.listed()
	return hs, f
}

// lineWith is the index of the first screen line containing s, -1 if none.
func lineWith(screen, s string) int {
	return slices.IndexFunc(strings.Split(screen, "\n"), func(l string) bool { return strings.Contains(l, s) })
}

func TestOneOffListedApartBelowTheServices(t *testing.T) {
	hs, _ := oneOffScreen(t, 120, 40, shopOneOff(2))
	if got, want := order(hs.m), "cache db web#1 web#2 worker debug web"; got != want {
		t.Fatalf("rows: got %q, want %q (the one-off last, web not counted as scaled by it)", got, want)
	}
	s := hs.screen()
	heading, run, last := lineWith(s, "ONE-OFF"), lineWith(s, "shop-web-run-20a1b2c3d4e5"), lineWith(s, "debug")
	if heading < 0 || run != heading+1 || last < 0 || heading < last {
		t.Fatalf("one-off section: heading at line %d, the one-off at %d, the last service row at %d; want heading below the services and the one-off under it:\n%s",
			heading, run, last, s)
	}
	line := strings.Split(s, "\n")[run]
	for _, want := range []string{"web", "running", "2m", "sleep 300"} {
		if !strings.Contains(line, want) {
			t.Errorf("one-off line %q lacks %q", line, want)
		}
	}
	if strings.Count(s, "web#3") != 0 {
		t.Errorf("the one-off shows as a replica of web:\n%s", s)
	}
}

func TestOneOffActions(t *testing.T) {
	c := shopOneOff(2)
	hs, f := oneOffScreen(t, 120, 40, c)
	hs.keys("G")
	if r, ok := hs.m.selectedRow(); !ok || !r.oneOff {
		t.Fatalf("G selected %+v, want the one-off row", r)
	}
	// The service verbs do not apply; the key says why instead of acting.
	for _, k := range []string{"r", "u", "R", "b"} {
		hs.keys(k)
		if !strings.Contains(hs.m.status, "one-off container") {
			t.Errorf("%s on a one-off row: status %q, want why it does not apply", k, hs.m.status)
		}
	}
	for _, call := range f.Calls() {
		if strings.HasPrefix(call, "restart") || strings.HasPrefix(call, "start") || strings.HasPrefix(call, "stages") {
			t.Errorf("a service verb ran on a one-off row: %q", call)
		}
	}

	hs.keys("x")
	if !slices.Contains(f.Calls(), "stop-container "+c.ID) || slices.Contains(f.Calls(), "stop web") {
		t.Fatalf("x on the one-off: calls %v, want it stopped by ID and web left alone", f.Calls())
	}
	f.events <- []stack.Event{{ContainerID: c.ID, Service: "web", Action: stack.ActionDie, OneOff: true}}
	hs.until("the one-off shown exited", func() bool { return strings.Contains(hs.screen(), "exited (0)") })
	if why := hs.m.keys.bindings[slices.IndexFunc(hs.m.keys.bindings, func(b binding) bool { return b.action == actShell })].why(hs.m); !strings.Contains(why, "not running") {
		t.Errorf("shell in an exited one-off: reason %q, want not running", why)
	}

	hs.keys("X")
	if !slices.Contains(f.Calls(), "remove-container "+c.ID) {
		t.Fatalf("X on the one-off: calls %v, want it removed by ID", f.Calls())
	}
	f.events <- []stack.Event{{ContainerID: c.ID, Service: "web", Action: stack.ActionDestroy, OneOff: true}}
	hs.until("the one-off section gone", func() bool { return !strings.Contains(hs.screen(), "ONE-OFF") })
	if table, _, _ := strings.Cut(hs.screen(), "── Logs"); strings.Contains(table, c.Name) {
		t.Errorf("the removed one-off is still in the table:\n%s", table)
	}
	if got, want := order(hs.m), "cache db web#1 web#2 worker debug"; got != want {
		t.Errorf("rows after the removal: got %q, want %q", got, want)
	}
}

// TestOneOffByNameInThePalette: ":logs NAME" and ":stop NAME" find the
// one-off container by its name.
func TestOneOffByNameInThePalette(t *testing.T) {
	c := shopOneOff(2)
	hs, f := oneOffScreen(t, 120, 40, c)
	hs.keys(":")
	hs.typeText("logs " + c.Name)
	hs.keys("enter")
	if hs.m.logs.service != c.Name {
		t.Fatalf(":logs %s shows %q's logs", c.Name, hs.m.logs.service)
	}
	hs.keys(":")
	hs.typeText("stop " + c.Name)
	hs.keys("enter")
	if !slices.Contains(f.Calls(), "stop-container "+c.ID) {
		t.Errorf(":stop %s: calls %v, want it stopped by ID", c.Name, f.Calls())
	}
}

func TestRemoveIsForOneOffsOnly(t *testing.T) {
	hs, f := oneOffScreen(t, 120, 40, shopOneOff(2))
	hs.keys("j") // db
	hs.keys("X")
	if !strings.Contains(hs.m.status, "not a one-off container") {
		t.Errorf("X on a service row: status %q, want why not", hs.m.status)
	}
	for _, call := range f.Calls() {
		if strings.HasPrefix(call, "remove-container") || strings.HasPrefix(call, "down") {
			t.Errorf("X on a service row ran %q", call)
		}
	}
}

func TestOneOffLogsAreItsOwn(t *testing.T) {
	c := shopOneOff(2)
	hs, f := oneOffScreen(t, 120, 40, c)
	f.logs <- []stack.LogLine{
		{Service: "web", ContainerName: "shop-web-1", Number: 1, Stream: stack.Stdout, Time: t0.Add(-time.Second), Text: "GET /service-line"},
		{Service: "web", ContainerName: c.Name, ContainerID: c.ID, OneOff: true, Stream: stack.Stdout, Time: t0, Text: "one-off says hello"},
	}
	hs.until("the lines stored", func() bool { return len(hs.m.logs.store.all) == 2 })
	hs.keys("G", "l")
	if hs.m.logs.service != c.Name {
		t.Fatalf("l on the one-off shows %q's logs, want %q", hs.m.logs.service, c.Name)
	}
	s := hs.screen()
	if !strings.Contains(s, "one-off says hello") || strings.Contains(s, "GET /service-line") {
		t.Errorf("the one-off's logs: want its line and not web's:\n%s", s)
	}
	hs.keys("g") // back to cache, the logs follow the selection
	hs.keys("j", "j")
	if hs.m.logs.service != "web" {
		t.Errorf("logs on web#1: %q, want web", hs.m.logs.service)
	}
	if s := hs.screen(); strings.Contains(s, "one-off says hello") {
		t.Errorf("web's logs show the one-off's line:\n%s", s)
	}
}

// TestOneOffScrollsIntoView: the section's heading takes a line of the
// table, and the selection stays visible when moving to the last row.
func TestOneOffScrollsIntoView(t *testing.T) {
	hs, _ := oneOffScreen(t, 80, 24, shopOneOff(3), shopOneOff(2), shopOneOff(1))
	if got := hs.m.regions().tableRows; got >= hs.m.table.lines() {
		t.Fatalf("the table shows %d lines for %d; the test needs it to scroll", got, hs.m.table.lines())
	}
	hs.keys("G")
	s := hs.screen()
	if l := lineWith(s, "shop-web-run-10a1b2c3d4e5"); l < 0 || !strings.HasPrefix(strings.Split(s, "\n")[l], "›") {
		t.Errorf("after G the newest one-off is not shown selected:\n%s", s)
	}
	hs.keys("g")
	s = hs.screen()
	if l := lineWith(s, "cache"); l < 0 || !strings.HasPrefix(strings.Split(s, "\n")[l], "›") {
		t.Errorf("after g cache is not shown selected:\n%s", s)
	}
	// A click on the heading selects nothing; one on a one-off selects it.
	hs.keys("G")
	r := hs.m.regions()
	for y := r.tableTop + 1; y <= r.tableTop+r.tableRows; y++ {
		line := strings.Split(hs.screen(), "\n")[y]
		if strings.Contains(line, "ONE-OFF") {
			hs.send(mouseClick(5, y))
			if sel, _ := hs.m.selectedRow(); sel.c.Name != "shop-web-run-10a1b2c3d4e5" {
				t.Errorf("a click on the heading moved the selection to %q", sel.c.Name)
			}
			hs.send(mouseClick(5, y+1))
			if sel, _ := hs.m.selectedRow(); !sel.oneOff || !strings.Contains(line+strings.Split(hs.screen(), "\n")[y+1], sel.c.Name) {
				t.Errorf("a click under the heading selected %q", sel.c.Name)
			}
		}
	}
}

func TestGoldenOneOff(t *testing.T) {
	for _, s := range []struct{ w, h int }{{80, 24}, {120, 40}} {
		name := fmt.Sprintf("oneoff-%dx%d", s.w, s.h)
		t.Run(name, func(t *testing.T) {
			exited := shopOneOff(7)
			exited.State, exited.ExitCode, exited.Command = stack.StateExited, 3, "sh -c 'exit 3'"
			hs, _ := oneOffScreen(t, s.w, s.h, shopOneOff(2), exited)
			hs.keys("G")
			got := hs.screen()
			for i, l := range strings.Split(got, "\n") {
				if w := visibleWidth(l); w > s.w {
					t.Errorf("line %d is %d cells wide, more than %d: %q", i, w, s.w, l)
				}
			}
			checkGolden(t, name, got)
		})
	}
}
