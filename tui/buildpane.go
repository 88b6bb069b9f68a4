package tui

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/devstack/devstack/stack"
)

// progressQueue takes build progress from the builder's goroutines without
// ever blocking them; a pump command drains it in batches.
type progressQueue struct {
	mu     sync.Mutex
	items  []stack.Progress
	closed bool
	notify chan struct{}
}

func newProgressQueue() *progressQueue {
	return &progressQueue{notify: make(chan struct{}, 1)}
}

func (q *progressQueue) push(p stack.Progress) {
	q.mu.Lock()
	q.items = append(q.items, p)
	q.mu.Unlock()
	select {
	case q.notify <- struct{}{}:
	default:
	}
}

func (q *progressQueue) close() {
	q.mu.Lock()
	q.closed = true
	q.mu.Unlock()
	select {
	case q.notify <- struct{}{}:
	default:
	}
}

// take waits for items and returns them; ok is false once closed and empty.
func (q *progressQueue) take() ([]stack.Progress, bool) {
	for {
		q.mu.Lock()
		items, closed := q.items, q.closed
		q.items = nil
		q.mu.Unlock()
		if len(items) > 0 {
			return items, true
		}
		if closed {
			return nil, false
		}
		<-q.notify
	}
}

// buildPane shows a rebuild's output, its step progress and its result.
type buildPane struct {
	q             *progressQueue
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

var stepRe = regexp.MustCompile(`^Step (\d+)/(\d+)`)

func (b *buildPane) setSize(w, h int) { b.width, b.height = w, h }

func (b *buildPane) start(q *progressQueue, service, target string, now time.Time) {
	*b = buildPane{q: q, service: service, target: target, started: now, width: b.width, height: b.height}
}

func (b *buildPane) add(items []stack.Progress) {
	for _, p := range items {
		if p.Step > 0 {
			b.step, b.steps = p.Step, p.Total
		}
		for _, line := range strings.Split(strings.TrimRight(p.Text, "\n"), "\n") {
			if m := stepRe.FindStringSubmatch(line); m != nil {
				b.step, _ = strconv.Atoi(m[1])
				b.steps, _ = strconv.Atoi(m[2])
			}
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
		b.result = fmt.Sprintf("rebuild of %s failed after %s: %v", msg.service, msg.took.Round(100*time.Millisecond), msg.err)
		return
	}
	b.result = fmt.Sprintf("rebuilt %s (%s) and recreated it in %s", msg.service, target, msg.took.Round(100*time.Millisecond))
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
