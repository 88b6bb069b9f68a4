package tui

// cellMemo remembers table cells already fitted to a width and coloured.
// A watched stack redraws on every log line and every stats round, yet
// most cells (a name, "0.0%", a port list, an image) read the same frame
// after frame; fitting and styling them (grapheme widths, lipgloss) was
// three quarters of a frame's cost under pprof, and the larger part of
// the dashboard's idle CPU.
type cellMemo struct {
	cells map[cellKey]string
}

// cellKey is everything a fitted, coloured cell depends on besides the
// styles the memo belongs to.
type cellKey struct {
	text   string
	width  int
	kind   stateKind
	styled bool
}

// cellMemoMax bounds the memo: a screen of 60 rows by 12 columns is 720
// cells, and values that change every second (uptimes, CPU) would
// otherwise accumulate for as long as the dashboard runs.
const cellMemoMax = 4096

func newCellMemo() *cellMemo { return &cellMemo{cells: make(map[cellKey]string)} }

// cell is text fitted to width and, when styled, coloured for its kind.
func (s styles) cell(text string, width int, kind stateKind, styled bool) string {
	k := cellKey{text, width, kind, styled}
	if c, ok := s.cells.cells[k]; ok {
		return c
	}
	c := fit(text, width)
	if styled {
		c = s.stateStyle(kind).Render(c)
	}
	if len(s.cells.cells) >= cellMemoMax {
		clear(s.cells.cells) // start over rather than track ages
	}
	s.cells.cells[k] = c
	return c
}
