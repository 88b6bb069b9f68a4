package tui

import (
	"context"
	"fmt"

	tea "charm.land/bubbletea/v2"
	"github.com/devstack/devstack/stack"
)

// DevWatcher is an optional Backend capability, checked at run time:
// develop.watch. DevWatch watches the project's develop.watch paths until
// ctx ends, delivering what it did in batches; it reports a watch that
// cannot start as an event with Err set, then closes the channel.
type DevWatcher interface {
	DevWatch(ctx context.Context, p *stack.Project) <-chan []stack.WatchEvent
}

// devWatchState is the dashboard's watch: on while cancel is set.
type devWatchState struct {
	cancel context.CancelFunc
	ch     <-chan []stack.WatchEvent
}

func (w devWatchState) on() bool { return w.cancel != nil }

// devWatchMsg is a batch of watch events.
type devWatchMsg struct {
	ch     <-chan []stack.WatchEvent
	batch  []stack.WatchEvent
	closed bool
}

func readDevWatch(ch <-chan []stack.WatchEvent) tea.Cmd {
	return func() tea.Msg {
		batch, ok := <-ch
		return devWatchMsg{ch: ch, batch: batch, closed: !ok}
	}
}

// needWatch says why watch cannot be toggled.
func needWatch(m *model) string {
	if _, ok := m.b.(DevWatcher); !ok {
		return "this backend cannot watch files"
	}
	if m.project == nil && !m.devWatch.on() {
		return "no compose file loaded"
	}
	return ""
}

// toggleWatch starts or stops develop.watch.
func (m *model) toggleWatch() tea.Cmd {
	if m.devWatch.on() {
		m.devWatch.cancel()
		m.devWatch = devWatchState{}
		m.setStatus("watch off", true)
		return nil
	}
	w, ok := m.b.(DevWatcher)
	if !ok || m.project == nil {
		return nil
	}
	ctx, cancel := context.WithCancel(m.ctx)
	m.devWatch = devWatchState{cancel: cancel, ch: w.DevWatch(ctx, m.project)}
	m.setStatus("watch on: files of develop.watch are synced as they change", true)
	return readDevWatch(m.devWatch.ch)
}

// onDevWatch shows each event as an event line of its service in the log
// pane (red on failure).
func (m *model) onDevWatch(msg devWatchMsg) tea.Cmd {
	if msg.ch != m.devWatch.ch {
		return nil // a watch switched off since
	}
	if msg.closed {
		m.devWatch.cancel()
		m.devWatch = devWatchState{}
		return nil
	}
	lines := make([]stack.LogLine, 0, len(msg.batch))
	for _, ev := range msg.batch {
		text := watchEventLine(ev)
		stream := stack.Stdout
		if ev.Err != nil {
			text, stream = m.st.err.Render(text), stack.Stderr
			m.setStatus(ev.Service+": "+ev.String(), false)
		}
		svc := ev.Service
		if svc == "" {
			svc = "watch"
		}
		lines = append(lines, stack.LogLine{Service: svc, ContainerName: svc, Stream: stream, Time: ev.Time, Text: text})
		for _, out := range ev.Output {
			lines = append(lines, stack.LogLine{Service: svc, ContainerName: svc, Stream: stream, Time: ev.Time, Text: "  | " + out})
		}
	}
	m.onLogs(lines)
	return readDevWatch(msg.ch)
}

// watchEventLine is the log pane's line for a watch event:
// "⇄ synced 3 files (12 KiB) in 38 ms", "↻ rebuilt in 4.1 s".
func watchEventLine(ev stack.WatchEvent) string {
	glyph := map[stack.WatchAction]string{
		stack.WatchSynced: "⇄", stack.WatchRebuilt: "↻", stack.WatchRestarted: "⟳",
		stack.WatchExecuted: "▶", stack.WatchWarning: "!", stack.WatchStarted: "◉",
	}[ev.Action]
	if ev.Err != nil {
		glyph = "✘"
	}
	if glyph == "" {
		glyph = "•"
	}
	return fmt.Sprintf("%s %s", glyph, ev.String())
}
