package tui

import (
	"github.com/devstack/devstack/stack"

	"fmt"
	"strings"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"
)

// regions is where each part of the screen is, for drawing and for mouse
// hits.
type regions struct {
	banners    []string
	tableTop   int // the table's header row
	tableRows  int
	titleY     int
	bottomTop  int
	bottomRows int
}

func visibleWidth(s string) int { return ansi.StringWidth(s) }

// banners are the problems shown above the table until they are gone.
func (m *model) banners() []string {
	var b []string
	if m.engineDown {
		b = append(b, "engine unreachable: showing the last known state, reconnecting…")
	}
	if m.reloadErr != nil {
		b = append(b, "compose file: "+m.reloadErr.Error()+" (showing the last good configuration)")
	}
	return b
}

// regions splits the height: header, banners, table (about 40% at most),
// pane title, lower pane, status line.
func (m *model) regions() regions {
	r := regions{banners: m.banners()}
	r.tableTop = 1 + len(r.banners)
	avail := max(m.height-r.tableTop-3, 2)
	rows := max(m.table.lines(), 1)
	r.tableRows = min(rows, max(3, avail*2/5))
	r.tableRows = min(r.tableRows, avail-1)
	r.titleY = r.tableTop + 1 + r.tableRows
	r.bottomTop = r.titleY + 1
	r.bottomRows = max(m.height-r.bottomTop-1, 0)
	return r
}

// layout hands each child its size.
func (m *model) layout() {
	r := m.regions()
	m.table.setSize(m.width, r.tableRows)
	m.logs.setSize(m.width, r.bottomRows)
	m.inspect.setSize(m.width, r.bottomRows)
	m.build.setSize(m.width, r.bottomRows)
	m.picker.setSize(m.width, r.bottomRows)
	m.help.setSize(m.width, m.height-2)
}

// View draws the screen, again only after an Update (the frame is kept
// otherwise). Only visible rows and lines are rendered.
func (m *model) View() tea.View {
	if !m.frameOK {
		m.frame, m.frameOK = m.render(), true
	}
	v := tea.NewView(m.frame)
	v.AltScreen = true
	v.MouseMode = tea.MouseModeCellMotion
	v.WindowTitle = "devstack · " + m.name
	return v
}

// render draws from the state as Update left it: it reads no clock and
// changes nothing.
func (m *model) render() string {
	r := m.regions()
	lines := make([]string, 0, m.height)
	lines = append(lines, m.header())
	for _, b := range r.banners {
		lines = append(lines, m.st.banner.Render(fit(" "+b, m.width)))
	}
	if m.showHelp {
		lines = append(lines, m.help.view(helpSections(m.keys, m), m.st))
	} else {
		lines = append(lines, m.table.view(m.st, m.now(), m.hist))
		lines = append(lines, m.paneTitle())
		lines = append(lines, m.bottomView())
	}
	body := strings.Join(lines, "\n")
	if m.confirm.step != confirmClosed {
		body = overlayCenter(body, m.st.box.Render(strings.Join(m.confirm.lines(m.st,
			m.keys.keysIn(scopeConfirm, actConfirm), m.keys.keysIn(scopeConfirm, actVolumes)), "\n")), m.width)
	}
	if m.input.purpose == inputPalette {
		pl := m.paletteLines(m.width)
		for i := range pl {
			pl[i] = m.st.hint.Render(pl[i])
		}
		body = overlayBottom(body, pl, m.width)
	}
	return body + "\n" + m.statusLine()
}

func (m *model) header() string {
	running, total := 0, 0
	for _, row := range m.table.all {
		if row.oneOff {
			continue // the stack's state; one-off runs have their section
		}
		if row.c.ID != "" || row.state == stack.StateNotCreated {
			total++
		}
		if row.c.State == stack.StateRunning {
			running++
		}
	}
	left := m.st.title.Render("devstack") + " " + m.st.bold.Render(m.name) +
		m.st.muted.Render(fmt.Sprintf("  %d/%d running", running, total)+m.diskHeader())
	if m.project != nil && m.project.Legacy {
		left += m.st.warn.Render("  legacy compose file")
	}
	if m.devWatch.on() {
		left += m.st.ok.Render("  ⇄ watch on")
	}
	right := m.st.hint.Render(m.keys.keysFor(actHelp) + " help  " + m.keys.keysFor(actPalette) + " commands  " +
		m.keys.keysFor(actQuit) + " quit")
	gap := m.width - visibleWidth(left) - visibleWidth(right)
	if gap < 1 {
		return fit(left, m.width)
	}
	return left + strings.Repeat(" ", gap) + right
}

func (m *model) paneTitle() string {
	var t string
	switch m.bottom {
	case bottomLogs:
		t = "Logs · " + m.logs.status()
	case bottomInspect:
		if r, ok := m.selectedRow(); ok {
			t = "Inspect · " + r.service
		}
	case bottomBuild:
		t = m.build.title(m.now())
	case bottomPicker:
		t = "Rebuild · choose a stage"
	}
	style := m.st.muted
	if m.focus == focusBottom {
		style = m.st.accent
	}
	t = "── " + t + " "
	if w := visibleWidth(t); w < m.width {
		t += strings.Repeat("─", m.width-w)
	}
	return style.Render(fit(t, m.width))
}

func (m *model) bottomView() string {
	switch m.bottom {
	case bottomInspect:
		return m.inspect.view(m.st)
	case bottomBuild:
		return m.build.view(m.st)
	case bottomPicker:
		return m.picker.view(m.st, m.pickerHint())
	}
	return m.logs.view(m.st)
}

func (m *model) statusLine() string {
	if m.input.purpose != inputNone {
		return m.input.view(m.st, m.width)
	}
	if m.showHelp {
		return m.st.hint.Render(fit(m.keys.keysIn(scopeHelp, actDown)+" "+m.keys.keysIn(scopeHelp, actUp)+
			" scroll · "+m.keys.keysIn(scopeHelp, actQuit)+" quit · any other key closes help", m.width))
	}
	if m.status != "" && m.now().Sub(m.statusAt) < statusTTL {
		style := m.st.err
		if m.statusOK {
			style = m.st.ok
		}
		return style.Render(fit(m.status, m.width))
	}
	// Hints that do not fit are left out whole, not cut.
	var b strings.Builder
	w := 0
	for _, a := range m.hintActions() {
		k := m.keys.keysFor(a)
		if k == "" {
			continue
		}
		hw := visibleWidth(k) + 1 + len(a)
		if w > 0 {
			hw += 2
		}
		if w+hw > m.width {
			break
		}
		if w > 0 {
			b.WriteString("  ")
		}
		b.WriteString(m.st.key.Render(k) + " " + string(a))
		w += hw
	}
	return b.String()
}

// pickerHint says which keys choose, rebuild and cancel in the picker.
func (m *model) pickerHint() string {
	k := func(a action) string { return m.keys.keysIn(scopePicker, a) }
	cancel := k(actCancel)
	if back := m.keys.keysFor(actBack); back != "" && !strings.Contains("/"+cancel+"/", "/"+back+"/") {
		cancel = back + "/" + cancel
	}
	return k(actChoose) + " rebuild and recreate " + m.picker.service + " · " + k(actDown) + " " + k(actUp) +
		" choose · " + cancel + " cancel"
}

// hintActions are the keys the status line suggests; while the logs show
// one service, the way back to all of them comes first.
func (m *model) hintActions() []action {
	var hints []action
	if m.bottom == bottomLogs && m.logs.service != "" {
		hints = append(hints, actAllLogs)
	}
	if m.focus == focusBottom && m.bottom == bottomLogs {
		return append(hints, actSearch, actLogFilter, actFollow, actWrap, actTimestamps, actWindow, actSave, actNextPane)
	}
	if r, ok := m.selectedRow(); ok && r.oneOff {
		// A one-off container's own actions, not its service's.
		return append(hints, actShell, actStop, actRemove, actLogs, actInspect, actFilter, actNextPane)
	}
	return append(hints, actShell, actRestart, actRebuild, actLogs, actInspect, actFilter, actDownStack, actNextPane)
}

// overlayCenter draws box over the middle of body.
func overlayCenter(body, box string, width int) string {
	bl := strings.Split(body, "\n")
	ol := strings.Split(box, "\n")
	bw := 0
	for _, l := range ol {
		bw = max(bw, visibleWidth(l))
	}
	bw = min(bw, width)
	x := max(0, (width-bw)/2)
	y := max(0, (len(bl)-len(ol))/2)
	for i, l := range ol {
		if y+i >= len(bl) {
			break
		}
		under := bl[y+i]
		left := ansi.Cut(under, 0, x)
		left += strings.Repeat(" ", x-visibleWidth(left))
		right := ansi.Cut(under, x+bw, width)
		bl[y+i] = left + fit(l, bw) + right
	}
	return strings.Join(bl, "\n")
}

// overlayBottom replaces the last lines of body, keeping the header.
func overlayBottom(body string, lines []string, width int) string {
	bl := strings.Split(body, "\n")
	lines = lines[max(0, len(lines)-(len(bl)-1)):]
	for i, l := range lines {
		bl[len(bl)-len(lines)+i] = fit(l, width)
	}
	return strings.Join(bl, "\n")
}
