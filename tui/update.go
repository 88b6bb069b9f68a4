package tui

import (
	"strings"

	tea "charm.land/bubbletea/v2"
)

// Update routes: window size and theme, keys and mouse, then data.
func (m *Model) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		m.width, m.height = msg.Width, msg.Height
		m.layout()
		return m, nil
	case tea.BackgroundColorMsg:
		if m.opts.Theme == ThemeAuto {
			m.st = newStyles(msg.IsDark(), m.opts.NoColor)
			m.logs.resetPrefixes()
		}
		return m, nil
	case tea.KeyPressMsg:
		return m, m.handleKey(msg)
	case tea.PasteMsg:
		if m.input.purpose != inputNone {
			text := strings.Join(strings.Fields(msg.Content), " ")
			return m, m.inputKey("", text)
		}
		return m, nil
	case tea.MouseClickMsg:
		if m.modal() {
			return m, nil
		}
		return m, m.handleClick(msg.Mouse())
	case tea.MouseWheelMsg:
		if !m.modal() {
			m.handleWheel(msg.Mouse())
		}
		return m, nil
	}
	return m, m.handleData(msg)
}

// modal reports whether a dialog, input, picker or help has the keys; the
// mouse does not act behind it.
func (m *Model) modal() bool {
	return m.input.purpose != inputNone || m.confirm.step != confirmClosed || m.bottom == bottomPicker || m.showHelp
}

// handleKey gives the key to whatever is modal (input, dialog, picker,
// help), else looks it up in the key table for the focused pane.
func (m *Model) handleKey(msg tea.KeyPressMsg) tea.Cmd {
	k := msg.String()
	switch {
	case m.input.purpose != inputNone:
		return m.inputKey(k, msg.Text)
	case m.confirm.step != confirmClosed:
		return m.confirmKey(k)
	case m.bottom == bottomPicker:
		return m.pickerKey(k)
	case m.showHelp:
		return m.helpKey(k)
	}
	sc := scopeTable
	if m.focus == focusBottom {
		sc = scopeLogs
	}
	b, ok := m.keys.lookup(sc, k)
	if !ok {
		return nil
	}
	if b.disabled != nil {
		if reason := b.disabled(m); reason != "" {
			m.setStatus(string(b.action)+": "+reason, false)
			return nil
		}
	}
	return m.run(b.action)
}

func (m *Model) inputKey(k, text string) tea.Cmd {
	purpose := m.input.purpose
	res := m.input.key(k, text)
	if purpose == inputTableFilter {
		m.table.setFilter(m.input.value)
	}
	switch res {
	case inputCancel:
		if purpose == inputTableFilter {
			m.table.setFilter("")
		}
		m.input.close()
	case inputSubmit:
		m.input.close()
		return m.submitInput(purpose, m.input.value)
	}
	return nil
}

func (m *Model) submitInput(p inputPurpose, value string) tea.Cmd {
	var err error
	switch p {
	case inputLogSearch:
		err = m.logs.setSearch(value)
		if err == nil && value != "" && m.logs.match < 0 {
			m.setStatus("no match for /"+value, false)
		}
	case inputLogFilter:
		err = m.logs.setFilter(value)
	case inputPalette:
		return m.runPalette(value)
	}
	if err != nil {
		m.setStatus(err.Error(), false)
	}
	return nil
}

func (m *Model) confirmKey(k string) tea.Cmd {
	cleaning := m.confirm.step == confirmClean
	switch m.confirm.key(k) {
	case confirmCleanYes:
		return m.applyClean()
	case confirmDownKeep:
		m.setStatus("taking the stack down…", true)
		return downStack(m.ctx, m.b, m.name, m.project, false, m.opts.Now)
	case confirmDownVolumes:
		m.setStatus("taking the stack down and deleting its volumes…", true)
		return downStack(m.ctx, m.b, m.name, m.project, true, m.opts.Now)
	case confirmCancel:
		if cleaning {
			m.setStatus("clean cancelled", true)
			return nil
		}
		m.setStatus("down cancelled", true)
	}
	return nil
}

func (m *Model) pickerKey(k string) tea.Cmd {
	switch k {
	case "j", "down":
		m.picker.move(1)
	case "k", "up":
		m.picker.move(-1)
	case "g", "home":
		m.picker.move(-len(m.picker.stages))
	case "G", "end":
		m.picker.move(len(m.picker.stages))
	case "esc", "q":
		m.bottom, m.focus = bottomLogs, focusTable
	case "enter":
		return m.startRebuild(m.picker.service, m.picker.target())
	case "ctrl+c":
		return m.run(actQuit)
	}
	return nil
}

func (m *Model) helpKey(k string) tea.Cmd {
	lines := helpLines(m.keys, m, m.st)
	switch k {
	case "j", "down":
		m.help.scroll(1, len(lines))
	case "k", "up":
		m.help.scroll(-1, len(lines))
	case "ctrl+c", "q":
		return m.run(actQuit)
	default:
		m.showHelp = false
	}
	return nil
}

// handleClick selects the clicked row or focuses the clicked pane.
func (m *Model) handleClick(ms tea.Mouse) tea.Cmd {
	l := m.regions()
	switch {
	case ms.Y == l.tableTop:
		m.focus = focusTable
		m.table.sortAt(ms.X)
	case ms.Y > l.tableTop && ms.Y <= l.tableTop+l.tableRows:
		m.focus = focusTable
		m.table.selectRow(m.table.offset + ms.Y - l.tableTop - 1)
		m.syncSelection()
	case ms.Y >= l.bottomTop && ms.Y < l.bottomTop+l.bottomRows:
		m.focus = focusBottom
	}
	return nil
}

func (m *Model) handleWheel(ms tea.Mouse) {
	n := 3
	if ms.Button == tea.MouseWheelUp {
		n = -3
	} else if ms.Button != tea.MouseWheelDown {
		return
	}
	l := m.regions()
	if ms.Y <= l.tableTop+l.tableRows {
		m.table.move(n / 3)
		m.syncSelection()
		return
	}
	m.scrollBottom(n)
}

func (m *Model) scrollBottom(n int) {
	switch m.bottom {
	case bottomLogs:
		m.logs.scroll(n)
	case bottomInspect:
		m.inspect.scroll(n)
	}
}
