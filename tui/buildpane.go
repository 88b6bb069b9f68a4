package tui

import (
	"fmt"
	"strings"
	"time"

	"github.com/devstack/devstack/stack"
)

// buildPane shows a rebuild's output, its step progress and its result.
type buildPane struct {
	op            *stack.Op // nil until the rebuild has started
	service       string
	target        string
	started       time.Time
	lines         []string
	step, steps   int
	done          bool
	result        string
	failed        bool
	width, height int
}

const buildPaneLines = 1000

func (b *buildPane) setSize(w, h int) { b.width, b.height = w, h }

func (b *buildPane) start(service, target string, now time.Time) {
	*b = buildPane{service: service, target: target, started: now, width: b.width, height: b.height}
}

func (b *buildPane) add(items []stack.Progress) {
	for _, p := range items {
		if p.Step > 0 {
			b.step, b.steps = p.Step, p.Total
		}
		for _, line := range strings.Split(strings.TrimRight(p.Text, "\n"), "\n") {
			if p.Kind != stack.ProgressOutput && p.Kind != "" {
				line = fmt.Sprintf("%s %s %s", p.Kind, p.Subject, line)
			}
			text, _, _ := sanitizeLine(line)
			b.lines = append(b.lines, text)
		}
	}
	if over := len(b.lines) - buildPaneLines; over > 0 {
		b.lines = append(b.lines[:0], b.lines[over:]...)
	}
}

func (b *buildPane) finish(msg rebuildDoneMsg) {
	b.done = true
	target := msg.target
	if target == "" {
		target = "last stage"
	}
	if msg.err != nil {
		b.failed = true
		b.result = fmt.Sprintf("rebuild of %s failed after %s: %v", msg.service, tookText(msg.took), msg.err)
		return
	}
	b.result = fmt.Sprintf("rebuilt %s (%s) and recreated it in %s", msg.service, target, tookText(msg.took))
	if msg.size > 0 {
		b.result += " · image " + humanBytes(msg.size)
	}
}

func (b *buildPane) title(now time.Time) string {
	target := b.target
	if target == "" {
		target = "last stage"
	}
	s := fmt.Sprintf("Build %s · target %s", b.service, target)
	if b.steps > 0 {
		s += fmt.Sprintf(" · step %d/%d %s", b.step, b.steps, cpuBar(float64(b.step)*100/float64(b.steps), 10))
	}
	if !b.done {
		s += " · " + humanDuration(now.Sub(b.started))
	}
	return s
}

func (b *buildPane) view(st styles) string {
	h := b.height
	var out []string
	if b.done {
		h--
	}
	start := max(0, len(b.lines)-h)
	for _, l := range b.lines[start:] {
		out = append(out, fit(l, b.width))
	}
	for len(out) < h {
		out = append(out, "")
	}
	if b.done {
		style := st.ok
		if b.failed {
			style = st.err
		}
		out = append(out, style.Render(fit(b.result, b.width)))
	}
	return strings.Join(out, "\n")
}
