package tui

import (
	"sort"
	"strings"

	"github.com/charmbracelet/x/ansi"
)

// helpView lists every binding of the key table by scope, with the reason
// an action is unavailable right now. Sections go side by side when they
// fit; long entries wrap, they are never cut.
type helpView struct {
	offset        int
	width, height int
}

func (h *helpView) setSize(w, ht int) { h.width, h.height = w, ht }

// helpItem is one entry of help: keys, what they do, why not now.
type helpItem struct {
	keys, text, reason string
}

// helpSection is a titled group of entries; a section without items holds
// its text in title's stead (the palette's commands).
type helpSection struct {
	title string
	items []helpItem
	words []string
}

// helpSections is generated from the key map, so help and dispatch agree.
func helpSections(km keyMap, m *model) []helpSection {
	var secs []helpSection
	for _, sc := range scopes {
		sec := helpSection{title: scopeNames[sc]}
		for _, b := range km.bindings {
			if b.scope != sc || len(b.keys) == 0 {
				continue
			}
			sec.items = append(sec.items, helpItem{keys: strings.Join(b.keys, " "), text: b.help, reason: b.why(m)})
		}
		secs = append(secs, sec)
	}
	verbs := make([]string, 0, len(km.paletteVerbs()))
	for name := range km.paletteVerbs() {
		verbs = append(verbs, name)
	}
	sort.Strings(verbs)
	secs = append(secs, helpSection{title: "Commands (" + km.keysFor(actPalette) + ")", words: verbs})
	return secs
}

// keyWidth is the width of the keys column: the longest keys of all.
func keyWidth(secs []helpSection) int {
	w := 0
	for _, s := range secs {
		for _, it := range s.items {
			w = max(w, ansi.StringWidth(it.keys))
		}
	}
	return w
}

// render draws a section in a column width, a blank line after it.
func (s helpSection) render(colW, keyW int, st styles) []string {
	out := []string{st.title.Render(fitTrim(s.title, colW))}
	for _, it := range s.items {
		text := it.text
		if it.reason != "" {
			text += " — " + it.reason
		}
		keys := fit(it.keys, keyW)
		pad := strings.Repeat(" ", keyW+3)
		for i, l := range wrapText(text, max(colW-keyW-3, 8), "") {
			switch {
			case it.reason != "" && i == 0:
				l = st.muted.Render("  " + keys + " " + l)
			case it.reason != "":
				l = st.muted.Render(pad + l)
			case i == 0:
				l = "  " + st.key.Render(keys) + " " + l
			default:
				l = pad + l
			}
			out = append(out, fitTrim(l, colW)) // cut only on a screen too narrow for the keys

		}
	}
	for _, l := range packWords(s.words, colW-2, " ") {
		out = append(out, "  "+st.hint.Render(l))
	}
	return append(out, "")
}

// naturalWidth is the widest line of the sections, unwrapped.
func naturalWidth(secs []helpSection, keyW int) int {
	w := 0
	for _, s := range secs {
		w = max(w, ansi.StringWidth(s.title))
		for _, it := range s.items {
			l := 2 + keyW + 1 + ansi.StringWidth(it.text)
			if it.reason != "" {
				l += 3 + ansi.StringWidth(it.reason)
			}
			w = max(w, l)
		}
	}
	return w
}

// columns lays the sections out in as few columns as fit the height; when
// none does, it returns one column to scroll.
func (h *helpView) columns(secs []helpSection, st styles) ([][]string, bool) {
	keyW := keyWidth(secs)
	for cols := 1; cols <= 4; cols++ {
		colW := min((h.width-2*(cols-1))/cols, naturalWidth(secs, keyW))
		if colW < keyW+12 {
			break
		}
		rendered := make([][]string, len(secs))
		for i, s := range secs {
			rendered[i] = s.render(colW, keyW, st)
		}
		if packed, ok := packSections(rendered, cols, h.height); ok {
			return packed, true
		}
	}
	var one []string
	for _, s := range secs {
		one = append(one, s.render(max(h.width, 1), keyW, st)...)
	}
	return [][]string{one}, false
}

// scroll moves a help too long for the screen.
func (h *helpView) scroll(n int, secs []helpSection, st styles) {
	cols, fits := h.columns(secs, st)
	if fits {
		h.offset = 0
		return
	}
	h.offset = max(0, min(h.offset+n, len(cols[0])-h.height))
}

func (h *helpView) view(secs []helpSection, st styles) string {
	cols, fits := h.columns(secs, st)
	if fits {
		return joinColumns(cols, h.height)
	}
	lines := cols[0]
	off := max(0, min(h.offset, len(lines)-h.height))
	out := append([]string(nil), lines[off:min(len(lines), off+h.height)]...)
	for len(out) < h.height {
		out = append(out, "")
	}
	return strings.Join(out, "\n")
}

// packSections puts each whole section in the first column with room for
// it (first fit), so a long section does not push every later one into a
// new column. The blank line that ends a section may fall off the bottom.
func packSections(secs [][]string, cols, height int) ([][]string, bool) {
	packed := make([][]string, 0, cols)
	for _, s := range secs {
		if len(s)-1 > height {
			return nil, false
		}
		placed := false
		for i := range packed {
			if len(packed[i])+len(s)-1 <= height {
				packed[i], placed = append(packed[i], s...), true
				break
			}
		}
		if !placed {
			if len(packed) == cols {
				return nil, false
			}
			packed = append(packed, append([]string(nil), s...))
		}
	}
	return packed, true
}

// joinColumns puts columns side by side, each as wide as its widest line.
func joinColumns(cols [][]string, height int) string {
	widths := make([]int, len(cols))
	for c, col := range cols {
		for _, l := range col {
			widths[c] = max(widths[c], visibleWidth(l))
		}
	}
	rows := make([]string, height)
	for r := range rows {
		var b strings.Builder
		for c, col := range cols {
			cell := ""
			if r < len(col) {
				cell = col[r]
			}
			b.WriteString(fit(cell, widths[c]))
			if c < len(cols)-1 {
				b.WriteString("  ")
			}
		}
		rows[r] = strings.TrimRight(b.String(), " ")
	}
	return strings.Join(rows, "\n")
}
