package tui

import (
	"strings"
	"time"

	tea "charm.land/bubbletea/v2"
)

// Update reads the clock once, routes the message, then lays the screen
// out again, so View only draws (it reads no clock and sizes nothing).
func (m *model) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	if _, ok := msg.(tickMsg); ok && m.statsFlowing() {
		// The stats sample due within the second redraws ages and takes
		// the logs gathered meanwhile; a frame of the tick's own would
		// double the idle dashboard's drawing for nothing.
		return m, tick()
	}
	m.frameOK = false
	m.at = m.opts.Now()
	m.logs.now = m.at
	cmd := m.route(msg)
	m.layout()
	return m, cmd
}

// statsFlowing reports whether stats samples have been arriving (one came
// within the last one and a half seconds of the stats' one-second pace).
func (m *model) statsFlowing() bool {
	return !m.statsAt.IsZero() && m.opts.Now().Sub(m.statsAt) < 1500*time.Millisecond
}

// route: window size and theme, keys and mouse, then data.
func (m *model) route(msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		m.width, m.height = msg.Width, msg.Height
		return nil
	case tea.BackgroundColorMsg:
		if m.opts.Theme == ThemeAuto {
			m.st = newStyles(msg.IsDark(), m.opts.NoColor)
			m.logs.resetPrefixes()
		}
		return nil
	case tea.KeyPressMsg:
		return m.handleKey(msg)
	case tea.PasteMsg:
		if m.input.purpose != inputNone {
			text := strings.Join(strings.Fields(msg.Content), " ")
			return m.inputKey("", text)
		}
		return nil
	case tea.MouseClickMsg:
		if m.modal() {
			return nil
		}
		return m.handleClick(msg.Mouse())
	case tea.MouseWheelMsg:
		if !m.modal() {
			m.handleWheel(msg.Mouse())
		}
		return nil
	}
	return m.handleData(msg)
}

// modal reports whether a dialog, input, picker or help has the keys; the
// mouse does not act behind it.
func (m *model) modal() bool {
	return m.input.purpose != inputNone || m.confirm.step != confirmClosed || m.bottom == bottomPicker || m.showHelp
}

// handleKey gives the key to whatever is modal (input, dialog, picker,
// help), else looks it up in the key table for the focused pane.
func (m *model) handleKey(msg tea.KeyPressMsg) tea.Cmd {
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

func (m *model) inputKey(k, text string) tea.Cmd {
	purpose := m.input.purpose
	if k == "tab" && purpose == inputPalette {
		m.input.complete(m.completions)
		return nil
	}
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

func (m *model) submitInput(p inputPurpose, value string) tea.Cmd {
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

func (m *model) confirmKey(k string) tea.Cmd {
	cleaning := m.confirm.step == confirmClean
	b, _ := m.keys.lookup(scopeConfirm, k)
	if b.scope != scopeConfirm {
		b.action = "" // a global key cancels, it does not act behind the dialog
	}
	switch m.confirm.key(b.action) {
	case confirmCleanYes:
		return m.applyClean()
	case confirmDownKeep:
		m.setStatus("taking the stack down…", true)
		return downStack(m.ctx, m.b, m.name, false, m.opts.Now)
	case confirmDownVolumes:
		m.setStatus("taking the stack down and deleting its volumes…", true)
		return downStack(m.ctx, m.b, m.name, true, m.opts.Now)
	case confirmCancel:
		if cleaning {
			m.setStatus("clean cancelled", true)
			return nil
		}
		m.setStatus("down cancelled", true)
	}
	return nil
}

// pickerKey moves and chooses in the rebuild picker through the key table
// (its own scope, then the global movement keys).
func (m *model) pickerKey(k string) tea.Cmd {
	b, ok := m.keys.lookup(scopePicker, k)
	if !ok {
		return nil
	}
	switch b.action {
	case actUp, actDown, actPageUp, actPageDown, actTop, actBottom:
		page := max(m.picker.height-3, 1)
		m.picker.move(map[action]int{actUp: -1, actDown: 1, actPageUp: -page, actPageDown: page,
			actTop: -len(m.picker.stages), actBottom: len(m.picker.stages)}[b.action])
	case actCancel, actBack:
		m.bottom, m.focus = bottomLogs, focusTable
	case actChoose:
		return m.startRebuild(m.picker.service, m.picker.target())
	case actQuit:
		return m.run(actQuit)
	}
	return nil
}

// helpKey scrolls help with the movement keys of the key table; quit
// quits and any other key closes help.
func (m *model) helpKey(k string) tea.Cmd {
	b, _ := m.keys.lookup(scopeHelp, k)
	secs := helpSections(m.keys, m)
	page := max(m.help.height-1, 1)
	switch b.action {
	case actUp, actDown, actPageUp, actPageDown, actTop, actBottom:
		m.help.scroll(map[action]int{actUp: -1, actDown: 1, actPageUp: -page, actPageDown: page,
			actTop: -1 << 30, actBottom: 1 << 30}[b.action], secs, m.st)
	case actQuit:
		return m.run(actQuit)
	default:
		m.showHelp = false
	}
	return nil
}

// handleClick selects the clicked row or focuses the clicked pane.
func (m *model) handleClick(ms tea.Mouse) tea.Cmd {
	l := m.regions()
	switch {
	case ms.Y == l.tableTop:
		m.focus = focusTable
		m.table.sortAt(ms.X)
	case ms.Y > l.tableTop && ms.Y <= l.tableTop+l.tableRows:
		m.focus = focusTable
		if i, ok := m.table.rowAtLine(ms.Y - l.tableTop - 1); ok {
			m.table.selectRow(i)
			m.syncSelection()
		}
	case ms.Y >= l.bottomTop && ms.Y < l.bottomTop+l.bottomRows:
		m.focus = focusBottom
	}
	return nil
}

func (m *model) handleWheel(ms tea.Mouse) {
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

func (m *model) scrollBottom(n int) {
	switch m.bottom {
	case bottomLogs:
		m.logs.scroll(n)
	case bottomInspect:
		m.inspect.scroll(n)
	}
}
