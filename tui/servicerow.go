package tui

import (
	"fmt"
	"strings"
	"time"

	"github.com/charmbracelet/x/ansi"
	"github.com/devstack/devstack/stack"
)

// colID names a column of the services table.
type colID int

// The table's columns, in display order.
const (
	colName colID = iota
	colState
	colUptime
	colRestarts
	colCPU
	colCPUHist
	colMem
	colMemHist
	colNet
	colBlock
	colPorts
	colImage
	numCols
)

// cellText is the plain text of one cell and the colour class of it.
func cellText(r row, id colID, width int, now time.Time, h *history) (string, stateKind) {
	switch id {
	case colName:
		g, k := rowGlyph(r)
		name := r.service
		if r.scaled {
			name = fmt.Sprintf("%s#%d", r.service, r.number)
		}
		return g + " " + name, k
	case colState:
		if r.pull.text != "" {
			return r.pull.text, pullKind(r.pull)
		}
		_, k := rowGlyph(r)
		return stateText(r), k
	case colUptime:
		if r.c.Running() && !r.c.StartedAt.IsZero() {
			return humanDuration(now.Sub(r.c.StartedAt)), kindMuted
		}
		return "", kindMuted
	case colRestarts:
		if n := r.restarts(); n > 0 {
			return fmt.Sprintf("↻%d", n), kindWarn
		}
		return "", kindMuted
	case colCPU:
		return cpuText(r, width), kindMuted
	case colMem:
		return memText(r), kindMuted
	case colCPUHist:
		return sparkline(h.cpu(r.key), r.cpuScale(h), width), kindOK
	case colMemHist:
		return sparkline(h.mem(r.key), r.memScale(), width), kindOK
	case colNet:
		if !r.has {
			return "", kindMuted
		}
		return humanRate(r.stats.NetRxPerSec) + " " + humanRate(r.stats.NetTxPerSec), kindMuted
	case colBlock:
		if !r.has {
			return "", kindMuted
		}
		return humanRate(r.stats.BlockReadPerSec) + " " + humanRate(r.stats.BlockWritePerSec), kindMuted
	case colPorts:
		return portsText(r), kindMuted
	case colImage:
		return imageText(r), kindMuted
	}
	return "", kindMuted
}

// stateText is the state column: health, exit code and OOM kill spelled out.
func stateText(r row) string {
	if r.busy != "" {
		return r.busy + "…"
	}
	switch r.state {
	case stack.StateRestarting:
		if r.c.RestartCount >= 3 {
			return "crash loop"
		}
	case stack.StateRunning:
		if r.c.Health != stack.HealthNone {
			return string(r.c.Health)
		}
	case stack.StateExited, stack.StateDead:
		s := fmt.Sprintf("%s (%d)", r.state, r.c.ExitCode)
		if r.c.OOMKilled {
			s = fmt.Sprintf("OOMKilled (%d)", r.c.ExitCode)
		}
		return s
	case stack.StateProfile:
		if r.svc != nil && len(r.svc.Profiles) > 0 {
			return "profile " + strings.Join(r.svc.Profiles, ",")
		}
	}
	return string(r.state)
}

func cpuText(r row, width int) string {
	if !r.has {
		return ""
	}
	pct := fmt.Sprintf("%5.1f%%", r.stats.CPUPercent)
	if width >= len(pct)+5 {
		return cpuBar(r.stats.CPUPercent, width-len(pct)-1) + " " + pct
	}
	return pct
}

func memText(r row) string {
	if !r.has {
		return ""
	}
	used := humanBytes(int64(r.stats.MemoryUsage))
	if lim := r.memLimit(); lim > 0 {
		return fmt.Sprintf("%s/%s %d%%", used, humanBytes(lim), int(float64(r.stats.MemoryUsage)*100/float64(lim)))
	}
	return used
}

func portsText(r row) string {
	ports := r.c.Ports
	if len(ports) == 0 && r.svc != nil && r.c.ID == "" {
		ports = r.svc.Ports
	}
	parts := make([]string, 0, len(ports))
	for _, p := range ports {
		if p.HostPort != 0 {
			parts = append(parts, strings.TrimSuffix(p.String(), "/tcp"))
		}
	}
	return strings.Join(parts, ",")
}

func imageName(r row) string {
	if r.c.Image != "" {
		return r.c.Image
	}
	if r.svc != nil {
		return r.svc.Image
	}
	return ""
}

func imageText(r row) string {
	name := imageName(r)
	if r.c.ImageSize > 0 {
		return name + " " + humanBytes(r.c.ImageSize)
	}
	return name
}

// fit truncates s to w cells (with an ellipsis) and pads it to exactly w.
func fit(s string, w int) string {
	if w <= 0 {
		return ""
	}
	sw := ansi.StringWidth(s)
	if sw > w {
		s = ansi.Truncate(s, w, "…")
		sw = ansi.StringWidth(s)
	}
	return s + strings.Repeat(" ", w-sw)
}

// serviceRow renders one table row for a layout: a gutter that marks the
// selected row (readable without colour), then each cell fitted to its
// width and coloured by kind; the selected row is reversed.
func serviceRow(r row, l layout, now time.Time, h *history, st styles, selected bool) string {
	var b strings.Builder
	if selected {
		b.WriteString("›")
	} else {
		b.WriteByte(' ')
	}
	for i := 0; i < len(l); i++ {
		c, width := l[i], l[i].width
		if i > 0 {
			b.WriteByte(' ')
		}
		if c.col.id == colState && r.pull.text != "" {
			// A pull's progress spans the live-data columns up to PORTS,
			// which have nothing to show before the container exists.
			for i+1 < len(l) && l[i+1].col.id < colPorts {
				i++
				width += 1 + l[i].width
			}
		}
		text, kind := cellText(r, c.col.id, width, now, h)
		styled := !selected && text != "" && (kind != kindMuted || c.col.id == colName || c.col.id == colState)
		b.WriteString(st.cell(text, width, kind, styled))
	}
	if selected {
		return st.selected.Render(b.String())
	}
	return b.String()
}
