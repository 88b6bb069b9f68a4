package tui

import (
	"testing"
	"time"

	"github.com/charmbracelet/x/ansi"
	"github.com/devstack/devstack/stack"
)

func TestHumanBytes(t *testing.T) {
	cases := []struct {
		in   int64
		want string
	}{
		{0, "0B"}, {1023, "1023B"}, {1024, "1.0KiB"}, {1536, "1.5KiB"}, {10 << 20, "10MiB"},
		{512 << 20, "512MiB"}, {1 << 30, "1.0GiB"}, {3 << 40, "3.0TiB"}, {-2048, "-2.0KiB"},
	}
	for _, c := range cases {
		if got := humanBytes(c.in); got != c.want {
			t.Errorf("humanBytes(%d) = %q, want %q", c.in, got, c.want)
		}
	}
}

func TestHumanRate(t *testing.T) {
	cases := []struct {
		in   float64
		want string
	}{{0, "0"}, {0.5, "0"}, {512, "512B/s"}, {2048, "2.0KiB/s"}, {5 << 20, "5.0MiB/s"}}
	for _, c := range cases {
		if got := humanRate(c.in); got != c.want {
			t.Errorf("humanRate(%v) = %q, want %q", c.in, got, c.want)
		}
	}
}

func TestHumanDuration(t *testing.T) {
	cases := []struct {
		in   time.Duration
		want string
	}{
		{-time.Second, "0s"}, {42 * time.Second, "42s"}, {3*time.Minute + 59*time.Second, "3m"},
		{2*time.Hour + 5*time.Minute, "2h05m"}, {75 * time.Hour, "3d3h"},
	}
	for _, c := range cases {
		if got := humanDuration(c.in); got != c.want {
			t.Errorf("humanDuration(%v) = %q, want %q", c.in, got, c.want)
		}
	}
}

func TestCPUBar(t *testing.T) {
	cases := []struct {
		pct   float64
		width int
		want  string
	}{
		{0, 4, "    "}, {100, 4, "████"}, {250, 4, "████"}, {-5, 2, "  "},
		{50, 4, "██  "}, {12.5, 4, "▌   "}, {50, 0, ""},
	}
	for _, c := range cases {
		got := cpuBar(c.pct, c.width)
		if got != c.want {
			t.Errorf("cpuBar(%v, %d) = %q, want %q", c.pct, c.width, got, c.want)
		}
		if w := ansi.StringWidth(got); w != c.width {
			t.Errorf("cpuBar(%v, %d) is %d wide", c.pct, c.width, w)
		}
	}
}

func TestSparkline(t *testing.T) {
	cases := []struct {
		vals  []float64
		max   float64
		width int
		want  string
	}{
		{nil, 0, 3, "   "},
		{[]float64{0, 50, 100}, 100, 3, "▁▅█"},
		{[]float64{1, 2, 4, 8}, 0, 4, "▂▃▅█"},
		{[]float64{1, 2, 4, 8}, 0, 2, "▅█"},
		{[]float64{10}, 100, 4, "   ▂"},
		{[]float64{200}, 100, 1, "█"},
	}
	for _, c := range cases {
		if got := sparkline(c.vals, c.max, c.width); got != c.want {
			t.Errorf("sparkline(%v, %v, %d) = %q, want %q", c.vals, c.max, c.width, got, c.want)
		}
	}
}

func TestStateGlyph(t *testing.T) {
	cases := []struct {
		s     stack.State
		h     stack.Health
		code  int
		glyph string
		kind  stateKind
	}{
		{stack.StateRunning, stack.HealthNone, 0, "●", kindOK},
		{stack.StateRunning, stack.HealthHealthy, 0, "●", kindOK},
		{stack.StateRunning, stack.HealthUnhealthy, 0, "●", kindErr},
		{stack.StateRunning, stack.HealthStarting, 0, "◐", kindWarn},
		{stack.StateRestarting, "", 1, "↻", kindWarn},
		{stack.StateExited, "", 0, "○", kindMuted},
		{stack.StateExited, "", 3, "✗", kindErr},
		// What a stop leaves is not a failure: SIGTERM, or SIGKILL after the timeout.
		{stack.StateExited, "", 143, "○", kindMuted},
		{stack.StateExited, "", 137, "○", kindMuted},
		{stack.StateDead, "", 0, "✗", kindErr},
		{stack.StatePaused, "", 0, "‖", kindWarn},
		{stack.StateCreated, "", 0, "◌", kindMuted},
		{stack.StateNotCreated, "", 0, "·", kindMuted},
		{stack.StateProfile, "", 0, "◇", kindMuted},
	}
	for _, c := range cases {
		g, k := stateGlyph(c.s, c.h, c.code)
		if g != c.glyph || k != c.kind {
			t.Errorf("stateGlyph(%s, %s, %d) = %q, %d; want %q, %d", c.s, c.h, c.code, g, k, c.glyph, c.kind)
		}
	}
}

func TestServiceRow(t *testing.T) {
	st := newStyles(true, true)
	now := t0
	web := shopContainers()[0]
	svc := shopProject().Services[2]
	l := layoutColumns(80, contentWidths(shopRows()))
	cases := []struct {
		name string
		r    row
		sel  bool
		want string
	}{
		{"running with stats", row{key: web.ID, service: "web", number: 1, scaled: true, state: web.State, c: web, svc: &svc,
			stats: stack.Stats{CPUPercent: 12.5, MemoryUsage: 128 << 20}, has: true}, false,
			" ● web#1  healthy         1h35m       ▊       12.5% 128MiB/512MiB 25% 8080->80  "},
		{"selected, no stats", row{key: web.ID, service: "web", state: web.State, c: web, svc: &svc}, true,
			"›● web    healthy         1h35m                                       8080->80  "},
		{"oom killed", row{key: "w", service: "worker", state: stack.StateExited,
			c: stack.Container{ID: "w", State: stack.StateExited, ExitCode: 137, OOMKilled: true, RestartCount: 4}}, false,
			" ✗ worker OOMKilled (137)        ↻4                                             "},
		{"not created shows configured ports", row{key: "service:web", service: "web", state: stack.StateNotCreated, svc: &svc}, false,
			" · web    not created                                                 8080->80  "},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := ansi.Strip(serviceRow(c.r, l, now, newHistory(), st, c.sel))
			if got != c.want {
				t.Errorf("serviceRow:\n got %q\nwant %q", got, c.want)
			}
		})
	}
}

// shopRows are the table rows of the shop stack with its stats.
func shopRows() []row {
	cs := map[string]stack.Container{}
	for _, c := range shopContainers() {
		cs[c.ID] = c
	}
	ss := map[string]stack.Stats{}
	for _, s := range shopStats() {
		ss[s.ContainerID] = s
	}
	return buildRows(shopProject(), cs, ss)
}

func TestLayoutColumns(t *testing.T) {
	content := contentWidths(shopRows())
	for _, w := range []int{40, 80, 120, 160, 200, 300} {
		l := layoutColumns(w, content)
		used := 0
		for _, c := range l {
			used += c.width + 1
			if c.width < min(c.col.min, content[c.col.id]) && c.col.id != colName {
				t.Errorf("width %d: column %s is %d wide, under its min %d", w, c.col.title, c.width, c.col.min)
			}
		}
		if used > w {
			t.Errorf("width %d: layout uses %d cells", w, used)
		}
		if l[0].col.id != colName {
			t.Errorf("width %d: first column is %s", w, l[0].col.title)
		}
	}
	if got := len(layoutColumns(200, content)); got != int(numCols) {
		t.Errorf("at 200 columns %d of %d columns are shown", got, numCols)
	}
}

// TestColumnsFitTheirContent: a column is as wide as its content, not a
// fixed width (SERVICE wasted 15 cells), and a column whose content fits
// the screen is not cut (IMAGE was cut at 160).
func TestColumnsFitTheirContent(t *testing.T) {
	content := contentWidths(shopRows())
	widths := func(l layout) map[colID]int {
		out := map[colID]int{}
		for _, c := range l {
			out[c.col.id] = c.width
		}
		return out
	}
	for _, w := range []int{80, 120, 160} {
		got := widths(layoutColumns(w, content))
		if got[colName] != content[colName] {
			t.Errorf("width %d: SERVICE is %d wide, want its content's %d", w, got[colName], content[colName])
		}
		for _, id := range []colID{colState, colMem, colPorts, colImage} {
			if cw, ok := got[id]; ok && cw < content[id] {
				t.Errorf("width %d: %s is cut to %d of %d cells", w, columns[id].title, cw, content[id])
			}
		}
	}
	if _, ok := widths(layoutColumns(160, content))[colImage]; !ok {
		t.Error("at 160 columns IMAGE is not shown")
	}
	// A long image name is shown whole when the screen has room for it.
	long := content
	long[colImage] = 60
	if got := widths(layoutColumns(200, long))[colImage]; got != 60 {
		t.Errorf("a 60-cell image gets %d cells at 200 columns", got)
	}
}

// TestRowGlyph: an action in progress shows as such (a restart passes
// through exit 143, which showed as a red ✗), a stop by the user is never a
// failure, an OOM kill always is.
func TestRowGlyph(t *testing.T) {
	exited := func(code int, oom bool) stack.Container {
		return stack.Container{ID: "c", State: stack.StateExited, ExitCode: code, OOMKilled: oom}
	}
	cases := []struct {
		name  string
		r     row
		glyph string
		kind  stateKind
	}{
		{"restarting by hand", row{state: stack.StateExited, c: exited(143, false), busy: "restart"}, "↻", kindWarn},
		{"stopping", row{state: stack.StateRunning, c: stack.Container{State: stack.StateRunning}, busy: "stop"}, "…", kindWarn},
		{"stopped by the user, code 1", row{state: stack.StateExited, c: exited(1, false), userStopped: true}, "○", kindMuted},
		{"crashed", row{state: stack.StateExited, c: exited(1, false)}, "✗", kindErr},
		{"oom killed, 137", row{state: stack.StateExited, c: exited(137, true)}, "✗", kindErr},
		{"oom killed, stopped by the user", row{state: stack.StateExited, c: exited(137, true), userStopped: true}, "✗", kindErr},
		{"restart policy", row{state: stack.StateRestarting, c: stack.Container{State: stack.StateRestarting, ExitCode: 1}}, "↻", kindWarn},
	}
	for _, c := range cases {
		if g, k := rowGlyph(c.r); g != c.glyph || k != c.kind {
			t.Errorf("%s: rowGlyph = %q, %d; want %q, %d", c.name, g, k, c.glyph, c.kind)
		}
	}
}

func TestTookText(t *testing.T) {
	cases := []struct {
		in   time.Duration
		want string
	}{
		{0, "0.0s"}, {1234 * time.Millisecond, "1.2s"}, {9940 * time.Millisecond, "9.9s"},
		{42 * time.Second, "42s"}, {3*time.Minute + 20*time.Second, "3m"},
	}
	for _, c := range cases {
		if got := tookText(c.in); got != c.want {
			t.Errorf("tookText(%v) = %q, want %q", c.in, got, c.want)
		}
	}
}

// TestMemScale: memory history is drawn against the limit, else against
// the highest sample of the stack (at least memFloor): a service using
// 560 KiB with no limit drew full bars.
func TestMemScale(t *testing.T) {
	limited := &stack.Service{Limits: stack.Limits{MemoryBytes: 512 << 20}}
	cases := []struct {
		name string
		r    row
		want float64
	}{
		{"limit", row{svc: limited, memTop: 900 << 20}, 512 << 20},
		{"no limit, tiny stack", row{memTop: 560 << 10}, memFloor},
		{"no limit, big neighbour", row{memTop: 300 << 20}, 300 << 20},
	}
	for _, c := range cases {
		if got := c.r.memScale(); got != c.want {
			t.Errorf("%s: memScale = %v, want %v", c.name, got, c.want)
		}
	}
	small := []float64{560 << 10, 560 << 10, 560 << 10}
	if got := sparkline(small, row{memTop: 560 << 10}.memScale(), 3); got != "▁▁▁" {
		t.Errorf("560 KiB without a limit draws %q, want low bars", got)
	}
}

// TestSqueezedColumnKeepsItsPriority: a column too wide for the room left
// takes all of it, and no column of lower priority is shown in its place.
func TestSqueezedColumnKeepsItsPriority(t *testing.T) {
	content := contentWidths(shopRows())
	content[colImage] = 70
	l := layoutColumns(120, content)
	used, image := 0, 0
	for _, c := range l {
		used += c.width + 1
		switch c.col.id {
		case colImage:
			image = c.width
		case colCPUHist, colMemHist, colNet, colBlock:
			t.Errorf("%s is shown while IMAGE, of higher priority, is cut", c.col.title)
		}
	}
	if image == 0 || used != 120 {
		t.Errorf("IMAGE is %d wide and the table uses %d of 120 cells", image, used)
	}
}
