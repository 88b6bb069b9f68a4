package tui

import (
	"strings"
	"time"

	"github.com/charmbracelet/x/ansi"
	"github.com/devstack/devstack/stack"
)

// One-off containers (`devstack run`, Compose's oneoff label) are not a
// service's replicas: they get a section of their own below the service
// rows, with their own columns (the container's name, its service, state,
// age and command), and the actions that act on one container.

// oneOffRow is the row of a one-off container. Its service's declaration
// (when the project has it) backs the inspect pane.
func oneOffRow(p *stack.Project, c stack.Container, stats map[string]stack.Stats) row {
	r := row{key: c.ID, service: c.Service, state: c.State, c: c, oneOff: true}
	if p != nil {
		if svc, ok := p.Service(c.Service); ok {
			r.svc = &svc
		}
	}
	r.stats, r.has = stats[c.ID]
	r.has = r.has && c.Running()
	return r
}

// oneOffLess keeps one-off rows after every service row, oldest first,
// whatever column the services are sorted by.
func oneOffLess(a, b row) bool {
	if a.oneOff != b.oneOff {
		return b.oneOff
	}
	if !a.c.Created.Equal(b.c.Created) {
		return a.c.Created.Before(b.c.Created)
	}
	return a.c.Name < b.c.Name
}

// oneOffTitle is the section's heading, its columns' titles.
var oneOffTitle = [...]string{"ONE-OFF", "SERVICE", "STATE", "AGE", "COMMAND"}

// oneOffCols are the widths of the section's columns but the last
// (COMMAND takes the rest of the line).
type oneOffCols [len(oneOffTitle) - 1]int

// layoutOneOffs sizes the section's columns to its rows, the name at most
// two fifths of the width (Compose's names carry a 12-digit slug).
func layoutOneOffs(rows []row, width int) oneOffCols {
	var w oneOffCols
	for i := range w {
		w[i] = ansi.StringWidth(oneOffTitle[i])
	}
	w[3] = max(w[3], 5) // "2h05m"
	for _, r := range rows {
		if !r.oneOff {
			continue
		}
		w[0] = max(w[0], 2+ansi.StringWidth(r.c.Name))
		w[1] = max(w[1], ansi.StringWidth(r.service))
		w[2] = max(w[2], ansi.StringWidth(stateText(r)))
	}
	w[0] = min(w[0], max(width*2/5, len(oneOffTitle[0])))
	return w
}

// oneOffCells are the texts of a one-off row's cells and the colour of
// its state.
func oneOffCells(r row, now time.Time) ([len(oneOffTitle)]string, stateKind) {
	g, k := rowGlyph(r)
	age := ""
	if !r.c.Created.IsZero() {
		age = humanDuration(now.Sub(r.c.Created))
	}
	return [...]string{g + " " + r.c.Name, r.service, stateText(r), age, r.c.Command}, k
}

// oneOffLine renders a one-off row like serviceRow does a service's: the
// selection gutter, cells fitted to the section's columns, the name and
// state coloured by state, the selected row reversed.
func oneOffLine(r row, cols oneOffCols, width int, now time.Time, st styles, selected bool) string {
	cells, kind := oneOffCells(r, now)
	gutter := map[bool]string{false: " ", true: "›"}[selected]
	line := joinOneOff(gutter, cells, cols, width, func(i int, cell string) string {
		if !selected && (i == 0 || i == 2) {
			return st.stateStyle(kind).Render(cell)
		}
		return cell
	})
	if selected {
		return st.selected.Render(line)
	}
	return line
}

// oneOffHeading is the section's title line.
func oneOffHeading(cols oneOffCols, width int, st styles) string {
	return joinOneOff(" ", oneOffTitle, cols, width, func(_ int, cell string) string { return st.tableHeader.Render(cell) })
}

// joinOneOff lays cells out in the section's columns within width, the
// last one taking what is left.
func joinOneOff(gutter string, cells [len(oneOffTitle)]string, cols oneOffCols, width int, style func(i int, cell string) string) string {
	var b strings.Builder
	b.WriteString(gutter)
	used := 1
	for i, text := range cells {
		if i > 0 {
			if used >= width {
				break
			}
			b.WriteByte(' ')
			used++
		}
		w := max(width-used, 0)
		if i < len(cols) {
			w = min(cols[i], w)
		}
		b.WriteString(style(i, fit(text, w)))
		used += w
	}
	return b.String()
}

// linesTo is how many lines the table draws from row from to row to,
// both shown: one each, plus the section's heading when the first
// one-off row is among them.
func (t *servicesModel) linesTo(from, to int) int {
	n := to - from + 1
	if from <= t.firstOneOff && t.firstOneOff <= to {
		n++
	}
	return n
}

// lines is how many lines all the shown rows take.
func (t *servicesModel) lines() int {
	if len(t.rows) == 0 {
		return 0
	}
	return t.linesTo(0, len(t.rows)-1)
}

// rowAtLine is the row drawn on a line of the table's body (0 is the
// first line under the header); false on the one-off heading or past the
// rows.
func (t *servicesModel) rowAtLine(y int) (int, bool) {
	line := 0
	for i := t.offset; i < len(t.rows); i++ {
		if i == t.firstOneOff {
			if line == y {
				return 0, false
			}
			line++
		}
		if line == y {
			return i, true
		}
		line++
	}
	return 0, false
}
