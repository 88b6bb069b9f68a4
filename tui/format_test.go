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
	}{{0, "0"}, {0.5, "0"}, {512, "512/s"}, {2048, "2.0K/s"}, {5 << 20, "5.0M/s"}}
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
	l := layoutColumns(80)
	cases := []struct {
		name string
		r    row
		sel  bool
		want string
	}{
		{"running with stats", row{key: web.ID, service: "web", number: 1, scaled: true, state: web.State, c: web, svc: &svc,
			stats: stack.Stats{CPUPercent: 12.5, MemoryUsage: 128 << 20}, has: true}, false,
			" ● web#1        healthy         1h35m       12.5% 128MiB/512MiB 25% 8080->80    "},
		{"selected, no stats", row{key: web.ID, service: "web", state: web.State, c: web, svc: &svc}, true,
			"›● web          healthy         1h35m                               8080->80    "},
		{"oom killed", row{key: "w", service: "worker", state: stack.StateExited,
			c: stack.Container{ID: "w", State: stack.StateExited, ExitCode: 137, OOMKilled: true, RestartCount: 4}}, false,
			" ✗ worker       OOMKilled (137)        ↻4                                       "},
		{"not created shows configured ports", row{key: "service:web", service: "web", state: stack.StateNotCreated, svc: &svc}, false,
			" · web          not created                                         8080->80    "},
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

func TestLayoutColumns(t *testing.T) {
	for _, w := range []int{40, 80, 120, 200, 300} {
		l := layoutColumns(w)
		used := 0
		for _, c := range l {
			used += c.width + 1
			if c.width < c.col.min || c.width > c.col.max {
				t.Errorf("width %d: column %s is %d wide, outside %d..%d", w, c.col.title, c.width, c.col.min, c.col.max)
			}
		}
		if used > w {
			t.Errorf("width %d: layout uses %d cells", w, used)
		}
		if l[0].col.id != colName {
			t.Errorf("width %d: first column is %s", w, l[0].col.title)
		}
	}
	if got := len(layoutColumns(200)); got != int(numCols) {
		t.Errorf("at 200 columns %d of %d columns are shown", got, numCols)
	}
}
