package tui

import (
	"fmt"
	"strings"

	tea "charm.land/bubbletea/v2"

	"github.com/devstack/devstack/stack"
)

// run performs an action of the key table.
func (m *model) run(a action) tea.Cmd {
	if a == actWatch {
		return m.toggleWatch()
	}
	if cmd, ok := m.runNavigation(a); ok {
		return cmd
	}
	if cmd, ok := m.runLogs(a); ok {
		return cmd
	}
	if a == actClean {
		return m.startClean()
	}
	return m.runService(a)
}

func (m *model) runNavigation(a action) (tea.Cmd, bool) {
	page := max(m.table.height, 1)
	switch a {
	case actQuit:
		m.cancel()
		return tea.Quit, true
	case actHelp:
		m.showHelp = !m.showHelp
	case actPalette:
		m.input.open(inputPalette, "")
	case actNextPane, actPrevPane:
		m.focus = 1 - m.focus
	case actBack:
		m.back()
	case actReload:
		m.setStatus("reloading the compose file…", true)
		return reload(m.ctx, m.b), true
	case actUp, actDown, actTop, actBottom, actPageUp, actPageDown:
		n := map[action]int{actUp: -1, actDown: 1, actTop: -1 << 30, actBottom: 1 << 30, actPageUp: -page, actPageDown: page}[a]
		if m.focus == focusTable {
			m.table.move(n)
			m.syncSelection()
		} else {
			m.moveBottom(a, n)
		}
	case actFilter:
		m.input.open(inputTableFilter, m.table.filter)
	case actSortNext:
		m.table.cycleSort(1)
	case actSortPrev:
		m.table.cycleSort(-1)
	case actSortReverse:
		m.table.reverse()
	case actTheme:
		return m.setTheme(""), true
	default:
		return nil, false
	}
	return nil, true
}

// moveBottom scrolls the lower pane; top and bottom jump in the logs.
func (m *model) moveBottom(a action, n int) {
	if m.bottom == bottomLogs {
		switch a {
		case actTop:
			m.logs.toTop()
			return
		case actBottom:
			m.logs.toBottom()
			return
		case actPageUp, actPageDown:
			n = n / max(m.table.height, 1) * max(m.logs.height-1, 1)
		}
	}
	m.scrollBottom(n)
}

// back closes what is open, innermost first.
func (m *model) back() {
	switch {
	case m.bottom != bottomLogs && m.focus == focusBottom || m.bottom == bottomInspect:
		m.bottom = bottomLogs
	case m.logs.search != nil:
		_ = m.logs.setSearch("")
	case m.logs.filter != nil:
		_ = m.logs.setFilter("")
	case m.table.filter != "":
		m.table.setFilter("")
	case m.logs.service != "":
		m.logs.showAll()
	}
}

func (m *model) runLogs(a action) (tea.Cmd, bool) {
	switch a {
	case actSearch:
		m.bottom, m.focus = bottomLogs, focusBottom
		m.input.open(inputLogSearch, "")
	case actLogFilter:
		m.bottom, m.focus = bottomLogs, focusBottom
		m.input.open(inputLogFilter, "")
	case actNextMatch, actPrevMatch:
		dir := map[action]int{actNextMatch: 1, actPrevMatch: -1}[a]
		if !m.logs.nextMatch(dir) {
			m.setStatus("no more matches", false)
		}
	case actFollow:
		if m.logs.follow {
			m.logs.top, m.logs.follow = m.logs.bottomTop(), false
		} else {
			m.logs.follow = true
		}
	case actTimestamps:
		m.logs.timestamps = !m.logs.timestamps
	case actWrap:
		m.logs.wrap = !m.logs.wrap
	case actWindow:
		m.logs.cycleWindow()
	case actAllLogs:
		m.logs.showAll()
		m.bottom = bottomLogs
	case actLogs:
		m.toggleServiceLogs()
	case actSave:
		name := fmt.Sprintf("devstack-%s-%s-%s.log", m.name, orAll(m.logs.service), m.now().Format("20060102-150405"))
		return saveLines(m.opts.WriteFile, m.opts.SaveDir, name, m.logs.lines()), true
	default:
		return nil, false
	}
	return nil, true
}

func orAll(s string) string {
	if s == "" {
		return "all"
	}
	return s
}

// runService performs an action on the selected row's service.
func (m *model) runService(a action) tea.Cmd {
	r, ok := m.selectedRow()
	if !ok {
		return nil
	}
	switch a {
	case actShell:
		m.setStatus("shell in "+r.c.Name+"…", true)
		return shell(m.ctx, m.b, r.subject(), r.c.ID, stack.ExecOptions{Cmd: m.opts.Shell, User: m.opts.ShellUser})
	case actStop, actRemove:
		if r.oneOff {
			return m.actOnOneOff(a, r)
		}
		fallthrough
	case actRestart, actStart, actRecreate:
		verb := string(a)
		m.busy[r.service] = verb
		switch a {
		case actStop:
			m.stopped[r.service] = true
		case actRestart, actRecreate:
			delete(m.stopped, r.service)
		}
		m.refreshRows()
		m.setStatus(verb+" "+r.service+"…", true)
		return lifecycle(m.ctx, m.b, a, r.service, m.opts.Now)
	case actRebuild:
		m.setStatus("reading the Dockerfile of "+r.service+"…", true)
		target := ""
		if r.svc != nil && r.svc.Build != nil {
			target = r.svc.Build.Target
		}
		return loadStages(m.ctx, m.b, r.service, target)
	case actDownStack:
		m.setStatus("listing the stack's volumes…", true)
		return downVolumes(m.ctx, m.b)
	case actOpen:
		url := portURL(r)
		m.setStatus("opening "+url, true)
		return openInBrowser(m.opts.OpenURL, url)
	case actInspect:
		if m.bottom == bottomInspect {
			m.bottom = bottomLogs
			return nil
		}
		m.bottom = bottomInspect
		m.inspect.show(r, m.now(), m.hist)
	}
	return nil
}

// actOnOneOff stops or removes a one-off container, by ID: the service
// verbs would act on the service's own containers instead.
func (m *model) actOnOneOff(a action, r row) tea.Cmd {
	m.busy[r.subject()] = string(a)
	m.refreshRows()
	m.setStatus(string(a)+" "+r.c.Name+"…", true)
	return containerVerb(m.ctx, m.b, a, r.c.ID, r.subject(), m.opts.Now)
}

// toggleServiceLogs shows the selected service's logs, which then follow
// the selection; pressed again on the log pane, it goes back to all
// services.
func (m *model) toggleServiceLogs() {
	if m.bottom == bottomLogs && m.logs.followsSelection {
		m.logs.showAll()
		return
	}
	m.bottom = bottomLogs
	if r, ok := m.selectedRow(); ok {
		m.logs.followsSelection = true
		m.logs.setService(r.subject())
	}
}

func (m *model) startRebuild(svc, target string) tea.Cmd {
	m.build.start(svc, target, m.now())
	m.bottom, m.busy[svc] = bottomBuild, "rebuild"
	m.refreshRows()
	m.setStatus("rebuilding "+svc+"…", true)
	return rebuild(m.ctx, m.b, svc, target, m.opts.Now)
}

// syncSelection keeps the inspect pane, and the logs when they follow the
// selection, on the selected row.
func (m *model) syncSelection() {
	r, ok := m.selectedRow()
	if !ok {
		return
	}
	if m.bottom == bottomInspect {
		m.inspect.show(r, m.now(), m.hist)
	}
	if m.logs.followsSelection && m.logs.service != r.subject() {
		m.logs.setService(r.subject())
	}
}

// portURL is the browser address of a row's first published port.
func portURL(r row) string {
	for _, p := range r.c.Ports {
		if p.HostPort == 0 || (p.Protocol != "" && p.Protocol != "tcp") {
			continue
		}
		host := p.HostIP
		if host == "" || host == "0.0.0.0" || host == "::" {
			host = "localhost"
		}
		if strings.Contains(host, ":") {
			host = "[" + host + "]"
		}
		return fmt.Sprintf("http://%s:%d", host, p.HostPort)
	}
	return ""
}
