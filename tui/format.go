package tui

import (
	"fmt"
	"math"
	"strings"
	"time"

	"github.com/devstack/devstack/stack"
)

// Sizes, memory and rates are all in binary (IEC) units, as docker stats
// shows memory: one unit system on the whole screen (KiB, MiB, GiB).

// humanBytes formats a size in binary units the way docker stats does.
func humanBytes(n int64) string {
	if n < 0 {
		return "-" + humanBytes(-n)
	}
	const unit = 1024
	if n < unit {
		return fmt.Sprintf("%dB", n)
	}
	units := "KMGTPE"
	v := float64(n)
	i := -1
	for v >= unit && i < len(units)-1 {
		v /= unit
		i++
	}
	if v >= 10 {
		return fmt.Sprintf("%.0f%ciB", v, units[i])
	}
	return fmt.Sprintf("%.1f%ciB", v, units[i])
}

// humanRate formats a per-second byte rate in the same units ("0",
// "12KiB/s").
func humanRate(perSec float64) string {
	if perSec < 1 {
		return "0"
	}
	return humanBytes(int64(math.Round(perSec))) + "/s"
}

// tookText formats how long an action took: tenths of a second while
// short, then the units of humanDuration, so every duration on screen
// reads the same way ("1.2s", "42s", "3m").
func tookText(d time.Duration) string {
	if d < 10*time.Second {
		return fmt.Sprintf("%.1fs", max(d, 0).Seconds())
	}
	return humanDuration(d)
}

// humanDuration formats an age with its two largest units ("42s", "3m",
// "2h05m", "3d4h").
func humanDuration(d time.Duration) string {
	if d < 0 {
		d = 0
	}
	switch {
	case d < time.Minute:
		return fmt.Sprintf("%ds", int(d/time.Second))
	case d < time.Hour:
		return fmt.Sprintf("%dm", int(d/time.Minute))
	case d < 24*time.Hour:
		return fmt.Sprintf("%dh%02dm", int(d/time.Hour), int(d%time.Hour/time.Minute))
	}
	return fmt.Sprintf("%dd%dh", int(d/(24*time.Hour)), int(d%(24*time.Hour)/time.Hour))
}

var eighths = []rune{' ', '▏', '▎', '▍', '▌', '▋', '▊', '▉', '█'}

// cpuBar draws pct (0..100, clipped) as a bar of exactly width cells with
// eighth-cell precision.
func cpuBar(pct float64, width int) string {
	if width <= 0 {
		return ""
	}
	if pct < 0 || math.IsNaN(pct) {
		pct = 0
	}
	if pct > 100 {
		pct = 100
	}
	total := int(math.Round(pct / 100 * float64(width*8)))
	var b strings.Builder
	for i := 0; i < width; i++ {
		n := total - i*8
		switch {
		case n >= 8:
			b.WriteRune('█')
		case n > 0:
			b.WriteRune(eighths[n])
		default:
			b.WriteRune(' ')
		}
	}
	return b.String()
}

var sparks = []rune("▁▂▃▄▅▆▇█")

// sparkline draws the last width values scaled to max (the largest value
// when max <= 0), right-aligned and padded with spaces to width cells.
func sparkline(values []float64, max float64, width int) string {
	if width <= 0 {
		return ""
	}
	if len(values) > width {
		values = values[len(values)-width:]
	}
	if max <= 0 {
		for _, v := range values {
			max = math.Max(max, v)
		}
	}
	var b strings.Builder
	b.WriteString(strings.Repeat(" ", width-len(values)))
	for _, v := range values {
		i := 0
		if max > 0 && v > 0 {
			i = int(math.Round(v / max * float64(len(sparks)-1)))
		}
		i = min(max0(i), len(sparks)-1)
		b.WriteRune(sparks[i])
	}
	return b.String()
}

func max0(i int) int {
	if i < 0 {
		return 0
	}
	return i
}

// stateKind is how good a state is, which picks its colour.
type stateKind int

const (
	kindMuted stateKind = iota
	kindOK
	kindWarn
	kindErr
)

// stateGlyph gives the glyph and colour class of a container state.
func stateGlyph(s stack.State, h stack.Health, exitCode int) (string, stateKind) {
	switch s {
	case stack.StateRunning:
		switch h {
		case stack.HealthUnhealthy:
			return "●", kindErr
		case stack.HealthStarting:
			return "◐", kindWarn
		}
		return "●", kindOK
	case stack.StateRestarting:
		return "↻", kindWarn
	case stack.StatePaused:
		return "‖", kindWarn
	case stack.StateExited:
		if failedExit(exitCode, false) {
			return "✗", kindErr
		}
		return "○", kindMuted
	case stack.StateDead:
		return "✗", kindErr
	case stack.StateRemoving:
		return "…", kindWarn
	case stack.StateCreated:
		return "◌", kindMuted
	case stack.StateProfile:
		return "◇", kindMuted
	}
	return "·", kindMuted
}

// failedExit reports whether an exit code is a failure: not 0, and not what
// a stop leaves (143 for SIGTERM, 137 for the SIGKILL after the stop
// timeout), unless the kernel killed the process for memory.
func failedExit(code int, oomKilled bool) bool {
	switch {
	case oomKilled:
		return true
	case code == 0, code == 128+15, code == 128+9:
		return false
	}
	return true
}

// rowGlyph is the glyph of a row: an action in progress first (a restart
// passes through an exit that is not a crash), then a stop by the user,
// then the container's state.
func rowGlyph(r row) (string, stateKind) {
	switch {
	case r.busy == "stop" || r.busy == "start" || r.busy == string(actRemove):
		return "…", kindWarn
	case r.busy != "":
		return "↻", kindWarn
	case r.c.OOMKilled && (r.state == stack.StateExited || r.state == stack.StateDead):
		return "✗", kindErr
	case r.userStopped && r.state == stack.StateExited:
		return "○", kindMuted
	}
	return stateGlyph(r.state, r.c.Health, r.c.ExitCode)
}
