package tui

import (
	"strings"
)

// helpView lists every binding of the key table by scope, with the reason
// an action is unavailable right now.
type helpView struct {
	offset        int
	width, height int
}

func (h *helpView) setSize(w, ht int) { h.width, h.height = w, ht }

// helpLines is generated from the key map, so help and dispatch agree.
func helpLines(km keyMap, m *Model, st styles) []string {
	var lines []string
	for _, sc := range []scope{scopeGlobal, scopeTable, scopeLogs} {
		lines = append(lines, st.title.Render(scopeNames[sc]))
		for _, b := range km.bindings {
			if b.scope != sc {
				continue
			}
			keys := fit(strings.Join(b.keys, " "), 16)
			text := b.help
			reason := ""
			if b.disabled != nil && m != nil {
				reason = b.disabled(m)
			}
			if reason != "" {
				lines = append(lines, "  "+st.muted.Render(keys+" "+text+" — "+reason))
				continue
			}
			lines = append(lines, "  "+st.key.Render(keys)+" "+text)
		}
		lines = append(lines, "")
	}
	lines = append(lines, st.hint.Render("Commands (:) restart stop start recreate rebuild shell down open inspect logs all-logs"),
		st.hint.Render("  search filter follow wrap timestamps save reload theme help quit  ·  esc or ? closes"))
	return lines
}

func (h *helpView) scroll(n, total int) {
	h.offset = max(0, min(h.offset+n, total-h.height))
}

// view lays the lines out in as many columns as the width allows.
func (h *helpView) view(lines []string) string {
	colW := 0
	for _, l := range lines {
		colW = max(colW, min(visibleWidth(l), 58))
	}
	cols := max(1, min(3, (h.width+2)/(colW+2)))
	perCol := (len(lines) + cols - 1) / cols
	if perCol <= h.height {
		var rows []string
		for r := 0; r < h.height; r++ {
			var b strings.Builder
			for c := 0; c < cols; c++ {
				i := c*perCol + r
				if i < len(lines) && r < perCol {
					b.WriteString(fit(lines[i], colW))
				} else {
					b.WriteString(strings.Repeat(" ", colW))
				}
				if c < cols-1 {
					b.WriteString("  ")
				}
			}
			rows = append(rows, strings.TrimRight(b.String(), " "))
		}
		return strings.Join(rows, "\n")
	}
	h.scroll(0, len(lines))
	end := min(len(lines), h.offset+h.height)
	out := append([]string(nil), lines[h.offset:end]...)
	for len(out) < h.height {
		out = append(out, "")
	}
	return strings.Join(out, "\n")
}
