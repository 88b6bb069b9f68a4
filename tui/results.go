package tui

import (
	"fmt"
	"strings"

	tea "charm.land/bubbletea/v2"
)

// handleResult applies the outcome of an action.
func (m *model) handleResult(msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case actionDoneMsg:
		delete(m.busy, msg.service)
		m.refreshRows()
		if msg.err != nil {
			if msg.verb == "stop" {
				delete(m.stopped, msg.service)
			}
			m.setStatus(fmt.Sprintf("%s %s failed: %v", msg.verb, msg.service, msg.err), false)
			return nil
		}
		m.setStatus(fmt.Sprintf("%s %s: done in %s", msg.verb, msg.service, tookText(msg.took)), true)
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
	case pullMsg:
		return m.applyPulls(msg)
	case rebuildStartedMsg:
		if m.build.op != nil || m.build.service != msg.service {
			return nil
		}
		m.build.op = msg.op
		return readRebuild(m.ctx, m.b, msg, m.serviceImage(msg.service), m.opts.Now)
	case buildProgressMsg:
		if msg.op != m.build.op {
			return nil
		}
		m.build.add(msg.items)
		return readRebuild(m.ctx, m.b, rebuildStartedMsg{op: msg.op, service: m.build.service, target: m.build.target, started: m.build.started},
			m.serviceImage(m.build.service), m.opts.Now)
	case downVolumesMsg:
		if msg.err != nil {
			// Down can still go ahead; it is volumes that cannot be named.
			m.setStatus("list volumes: "+msg.err.Error(), false)
		} else {
			m.status = ""
		}
		m.confirm.open(m.name, msg.names)
	case rebuildDoneMsg:
		delete(m.busy, msg.service)
		m.refreshRows()
		if msg.err == nil {
			for ref := range m.images {
				delete(m.images, ref) // the rebuilt image has a new size
			}
		}
		if msg.op == m.build.op {
			m.build.finish(msg)
			// The pane's last line says it; the status line says it only
			// when the pane is not shown, so the result is not printed twice.
			if m.bottom != bottomBuild {
				m.setStatus(m.build.result, msg.err == nil)
			} else {
				m.status = ""
			}
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
		return tea.Batch(tick(), m.unparkLogs())
	}
	return nil
}

// serviceImage is the image a service's containers run, per the project.
func (m *model) serviceImage(svc string) string {
	if m.project == nil {
		return ""
	}
	if s, ok := m.project.Service(svc); ok {
		return s.Image
	}
	return ""
}
