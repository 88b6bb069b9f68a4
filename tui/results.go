package tui

import (
	"fmt"
	"strings"
	"time"

	tea "charm.land/bubbletea/v2"
)

// handleResult applies the outcome of an action.
func (m *Model) handleResult(msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case actionDoneMsg:
		delete(m.busy, msg.service)
		m.refreshRows()
		if msg.err != nil {
			m.setStatus(fmt.Sprintf("%s %s failed: %v", msg.verb, msg.service, msg.err), false)
			return nil
		}
		m.setStatus(fmt.Sprintf("%s %s: done in %s", msg.verb, msg.service, msg.took.Round(100*time.Millisecond)), true)
		if strings.HasPrefix(msg.verb, "down") {
			return m.measureDisk()
		}
	case execDoneMsg:
		switch {
		case msg.err != nil:
			m.setStatus(fmt.Sprintf("shell in %s failed: %v", msg.service, msg.err), false)
		default:
			m.setStatus(fmt.Sprintf("shell in %s exited with code %d", msg.service, msg.code), msg.code == 0)
		}
	case stagesMsg:
		if msg.err != nil {
			m.setStatus(fmt.Sprintf("rebuild %s: %v", msg.service, msg.err), false)
			return nil
		}
		if len(msg.stages) == 0 {
			m.setStatus("rebuild "+msg.service+": the Dockerfile has no stage", false)
			return nil
		}
		m.picker.open(msg.service, msg.stages, msg.target)
		m.bottom, m.focus = bottomPicker, focusBottom
		m.status = "" // the picker says what to do
	case buildProgressMsg:
		if msg.q != m.build.q {
			return nil
		}
		m.build.add(msg.items)
		return readProgress(msg.q)
	case rebuildDoneMsg:
		delete(m.busy, msg.service)
		m.refreshRows()
		if msg.err == nil {
			for ref := range m.images {
				delete(m.images, ref) // the rebuilt image has a new size
			}
		}
		if msg.q == m.build.q {
			m.build.finish(msg)
			m.setStatus(m.build.result, msg.err == nil)
		}
		return m.measureDisk()
	case savedMsg:
		if msg.err != nil {
			m.setStatus(msg.err.Error(), false)
			return nil
		}
		m.setStatus(fmt.Sprintf("saved %d lines to %s", msg.lines, msg.path), true)
	case openedMsg:
		if msg.err != nil {
			m.setStatus(fmt.Sprintf("open %s: %v", msg.url, msg.err), false)
		}
	case diskTickMsg, diskMsg, cleanPlanMsg, cleanDoneMsg:
		return m.onDisk(msg)
	case tickMsg:
		m.logs.now = m.now()
		return tick()
	}
	return nil
}
