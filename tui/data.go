package tui

import (
	"errors"
	"fmt"
	"sort"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/devstack/devstack/stack"
)

// resubscribeDelay is the pause before opening a closed stream again.
const resubscribeDelay = 2 * time.Second

// handleData applies results and stream batches to the state.
func (m *model) handleData(msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case projectMsg:
		return m.onProject(msg)
	case projectWatchMsg:
		m.onProject(projectMsg{p: msg.reload.Project, err: msg.reload.Err})
		return readProject(msg.ch)
	case eventsSubscribedMsg:
		m.eventsCh = msg.ch
		// Listing follows subscribing, so no change falls between the two.
		// The plain list (one request) draws the first screen while Ps
		// inspects every container.
		return tea.Batch(readEvents(msg.ch), listQuick(m.ctx, m.b), listContainers(m.ctx, m.b))
	case eventsMsg:
		if msg.ch != m.eventsCh {
			return nil
		}
		return tea.Batch(m.onEvents(msg.batch), readEvents(msg.ch))
	case containersMsg:
		if msg.listed {
			if !m.inspected && msg.err == nil {
				m.onContainers(msg)
			}
			return nil // an error is Ps's to report
		}
		m.inspected = true
		m.onContainers(msg)
		return tea.Batch(m.startFollowers(), m.askImageSizes())
	case containerMsg:
		m.onContainer(msg)
		return m.askImageSizes()
	case imageMsg:
		if msg.err == nil {
			m.images[msg.ref] = msg.size
			m.refreshRows()
		}
	case statsSubscribedMsg:
		m.statsCh = msg.ch
		return readStats(msg.ch)
	case statsMsg:
		if msg.ch != m.statsCh {
			return nil
		}
		m.statsAt = m.at
		m.onStats(msg.batch)
		return tea.Batch(readStats(msg.ch), m.unparkLogs())
	case logsSubscribedMsg:
		if msg.err != nil {
			if !m.engineDown {
				m.setStatus("logs: "+msg.err.Error(), false)
			}
			return resubscribeAfter(resubscribeDelay, streamLogs)
		}
		m.logsCh, m.logsParked = msg.ch, false
		return readLogs(msg.ch)
	case logsMsg:
		if msg.ch != m.logsCh {
			return nil
		}
		m.onLogs(msg.batch)
		if len(msg.batch) < logPaceBelow && !m.opts.LogsEveryBatch {
			m.logsParked = true
			return nil
		}
		return readLogs(msg.ch)
	case streamClosedMsg, resubscribeMsg:
		return m.onStream(msg)
	case devWatchMsg:
		return m.onDevWatch(msg)
	default:
		return m.handleResult(msg)
	}
	return nil
}

func (m *model) onProject(msg projectMsg) tea.Cmd {
	if msg.err != nil {
		m.reloadErr = msg.err
		if m.name == "" {
			m.setStatus("no project to show: "+msg.err.Error(), false)
		}
		return nil
	}
	m.reloadErr = nil
	if msg.p != nil {
		m.project = msg.p
		if m.name == "" {
			m.name = msg.p.Name
		}
	}
	m.refreshRows()
	return m.startStreams()
}

// onEvents keeps the state from events: a targeted inspect of each
// container that changed, never a full list (except after the engine
// came back, when events may have been missed).
func (m *model) onEvents(batch []stack.Event) tea.Cmd {
	var cmds []tea.Cmd
	seen := map[string]bool{}
	for _, e := range batch {
		switch {
		case e.Action == stack.EventEngineDown:
			m.engineDown = true
		case e.Action == stack.EventEngineUp:
			m.engineDown = false
			cmds = append(cmds, listContainers(m.ctx, m.b))
		case e.ContainerID == "":
		case e.Removed():
			m.forget(e.ContainerID)
			if m.removed == nil {
				m.removed = map[string]bool{}
			}
			m.removed[e.ContainerID] = true
			delete(seen, e.ContainerID)
		default:
			seen[e.ContainerID] = true
		}
	}
	for id := range seen {
		cmds = append(cmds, inspectContainer(m.ctx, m.b, id))
	}
	m.refreshRows()
	return tea.Batch(cmds...)
}

func (m *model) forget(id string) {
	delete(m.containers, id)
	delete(m.stats, id)
	m.hist.forget(id)
}

func (m *model) onContainers(msg containersMsg) {
	if msg.err != nil {
		m.setStatus("list containers: "+msg.err.Error(), false)
		return
	}
	m.containers = make(map[string]stack.Container, len(msg.list))
	for _, c := range msg.list {
		m.containers[c.ID] = c
	}
	m.refreshRows()
}

func (m *model) onContainer(msg containerMsg) {
	if msg.err != nil {
		if errors.Is(msg.err, stack.ErrNotFound) {
			m.forget(msg.id)
			m.refreshRows()
			return
		}
		m.setStatus(fmt.Sprintf("inspect %.12s: %v", msg.id, msg.err), false)
		return
	}
	if m.removed[msg.c.ID] {
		return
	}
	if !msg.c.Running() {
		delete(m.stats, msg.c.ID)
	}
	m.containers[msg.c.ID] = msg.c
	m.refreshRows()
}

func (m *model) onStats(batch []stack.Stats) {
	m.hist.add(batch)
	for _, s := range batch {
		if _, ok := m.containers[s.ContainerID]; ok {
			m.stats[s.ContainerID] = s
		}
	}
	m.refreshRows()
}

func (m *model) onLogs(batch []stack.LogLine) {
	// Followers of several containers flush into one batch; keep the
	// merged view in time order within it (the tails at start especially).
	if !sort.SliceIsSorted(batch, func(i, j int) bool { return batch[i].Time.Before(batch[j].Time) }) {
		sort.SliceStable(batch, func(i, j int) bool { return batch[i].Time.Before(batch[j].Time) })
	}
	for i := range batch {
		if batch[i].OneOff {
			// A one-off's lines are its own, not its service's: they go
			// under its name, which its row's logs show.
			batch[i].Service = batch[i].ContainerName
		}
	}
	m.logs.now = m.now()
	m.logs.ingest(batch)
	if n := len(batch); n > 0 && batch[n-1].Time.After(m.lastLog) {
		m.lastLog = batch[n-1].Time
	}
}

// onStream re-opens a stream that closed, after a pause, while the screen
// is still running.
func (m *model) onStream(msg tea.Msg) tea.Cmd {
	if m.ctx.Err() != nil {
		return nil
	}
	switch msg := msg.(type) {
	case streamClosedMsg:
		switch msg.stream {
		case streamEvents:
			m.eventsCh = nil
		case streamStats:
			m.statsCh = nil
		case streamLogs:
			m.logsCh = nil
		}
		return resubscribeAfter(resubscribeDelay, msg.stream)
	case resubscribeMsg:
		switch msg.stream {
		case streamEvents:
			return subscribeEvents(m.ctx, m.b)
		case streamStats:
			return subscribeStats(m.ctx, m.b, m.opts.StatsInterval)
		case streamLogs:
			opts := stack.LogsOptions{Tail: m.opts.LogTail}
			if !m.lastLog.IsZero() {
				opts = stack.LogsOptions{Tail: -1, Since: m.lastLog.Add(time.Nanosecond)}
			}
			return subscribeLogs(m.ctx, m.b, opts)
		}
	}
	return nil
}

// unparkLogs reads the logs stream again after a small batch: the lines
// gathered meanwhile arrive within the same frame as the stats sample or
// tick that called it.
func (m *model) unparkLogs() tea.Cmd {
	if !m.logsParked || m.logsCh == nil {
		return nil
	}
	m.logsParked = false
	return readLogs(m.logsCh)
}
