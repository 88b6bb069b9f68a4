package main

import (
	"fmt"
	"io"
	"os"
	"sync"
	"time"

	"github.com/charmbracelet/x/term"

	"github.com/devstack/devstack/stack"
)

// progressPrinter writes one concise line per step of an up/down/build,
// the way docker compose's plain progress does.
type progressPrinter struct {
	mu    sync.Mutex
	w     io.Writer
	color bool
	start time.Time
	pulls *pullView // image transfers, live on a terminal
}

func newProgressPrinter(g *globals, w io.Writer) *progressPrinter {
	pp := &progressPrinter{w: w, color: useColor(g, w), start: time.Now()}
	pp.pulls = newPullView(w, isTerminalWriter(w), func() int { return terminalRows(w) }, pp.paint)
	return pp
}

// useColor reports whether w is a terminal and colours are wanted.
func useColor(g *globals, w io.Writer) bool {
	if g.noColor { // --no-color, whose default is NO_COLOR
		return false
	}
	f, ok := w.(*os.File)
	return ok && term.IsTerminal(f.Fd())
}

func (pp *progressPrinter) report(p stack.Progress) {
	pp.mu.Lock()
	defer pp.mu.Unlock()
	if p.Pull != nil || p.Kind == stack.ProgressSkipped {
		pp.pulls.report(p)
		return
	}
	pp.pulls.settle()
	switch p.Kind {
	case stack.ProgressOutput:
		fmt.Fprintf(pp.w, "%s %s\n", pp.paint(36, p.Service+" |"), p.Text)
		return
	}
	mark, color := progressMark(p.Kind)
	subject := p.Subject
	if subject == "" {
		subject = p.Service
	}
	line := fmt.Sprintf(" %s %-32s %s", pp.paint(color, mark), subject, pp.paint(color, string(p.Kind)))
	if p.Text != "" && p.Text != string(p.Kind) {
		line += "  " + p.Text
	}
	fmt.Fprintf(pp.w, "%s  %s\n", line, pp.paint(90, fmt.Sprintf("%.1fs", time.Since(pp.start).Seconds())))
}

// progressMark picks a glyph and an ANSI colour for a kind of step.
func progressMark(k stack.ProgressKind) (string, int) {
	switch k {
	case stack.ProgressError:
		return "✘", 31
	case stack.ProgressWarning:
		return "!", 33
	case stack.ProgressUpToDate, stack.ProgressStarted, stack.ProgressCreated, stack.ProgressRecreated,
		stack.ProgressHealthy, stack.ProgressRemoved, stack.ProgressStopped, stack.ProgressBuilt, stack.ProgressExited,
		stack.ProgressKilled, stack.ProgressPaused, stack.ProgressUnpaused, stack.ProgressCopied:
		return "✔", 32
	}
	return "•", 34
}

// isTerminalWriter reports whether w is a terminal.
func isTerminalWriter(w io.Writer) bool {
	f, ok := w.(*os.File)
	return ok && term.IsTerminal(f.Fd())
}

// terminalRows is the height of the terminal w writes to (24 when unknown).
func terminalRows(w io.Writer) int {
	if f, ok := w.(*os.File); ok {
		if _, h, err := term.GetSize(f.Fd()); err == nil && h > 0 {
			return h
		}
	}
	return 24
}

func (pp *progressPrinter) paint(color int, s string) string {
	if !pp.color {
		return s
	}
	return fmt.Sprintf("\x1b[%dm%s\x1b[0m", color, s)
}
