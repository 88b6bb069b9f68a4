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

// view lays the sections out side by side when they fit, else scrolls
// one column.
func (h *helpView) view(lines []string) string {
	colW := 0
	for _, l := range lines {
		colW = max(colW, min(visibleWidth(l), 58))
	}
	colW = max(1, min(colW, h.width))
	maxCols := max(1, min(3, (h.width+2)/(colW+2)))
	for cols := 1; cols <= maxCols; cols++ {
		if packed, ok := packSections(sections(lines), cols, h.height); ok {
			return joinColumns(packed, colW, h.height)
		}
	}
	h.scroll(0, len(lines))
	end := min(len(lines), h.offset+h.height)
	var out []string
	for _, l := range lines[h.offset:end] {
		out = append(out, fit(l, h.width))
	}
	for len(out) < h.height {
		out = append(out, "")
	}
	return strings.Join(out, "\n")
}

// sections splits help lines at blank lines, keeping the blank.
func sections(lines []string) [][]string {
	var out [][]string
	var cur []string
	for _, l := range lines {
		cur = append(cur, l)
		if l == "" {
			out, cur = append(out, cur), nil
		}
	}
	if len(cur) > 0 {
		out = append(out, cur)
	}
	return out
}

// packSections fills columns in order, a whole section at a time.
func packSections(secs [][]string, cols, height int) ([][]string, bool) {
	packed := make([][]string, 1, cols)
	for _, s := range secs {
		last := &packed[len(packed)-1]
		if len(*last) > 0 && len(*last)+len(s) > height {
			if len(packed) == cols {
				return nil, false
			}
			packed = append(packed, nil)
			last = &packed[len(packed)-1]
		}
		if len(s) > height {
			return nil, false
		}
		*last = append(*last, s...)
	}
	return packed, true
}

func joinColumns(cols [][]string, colW, height int) string {
	rows := make([]string, height)
	for r := range rows {
		var b strings.Builder
		for c, col := range cols {
			cell := ""
			if r < len(col) {
				cell = col[r]
			}
			if c < len(cols)-1 {
				b.WriteString(fit(cell, colW) + "  ")
			} else {
				b.WriteString(fit(cell, colW))
			}
		}
		rows[r] = strings.TrimRight(b.String(), " ")
	}
	return strings.Join(rows, "\n")
}
