package tui

import (
	"strings"
	"time"
)

// servicesModel is the services table: rows, selection, sort and filter.
type servicesModel struct {
	all     []row
	rows    []row // after filter, sorted
	cursor  int
	offset  int
	sortCol colID
	desc    bool
	filter  string
	width   int
	height  int // rows shown, header excluded
	// content is the widest content seen per column since the last
	// resize: columns widen with their content but do not jitter back.
	content [numCols]int
	cols    layout
	// follow is the replica the selection stays with while its container
	// is being replaced (set when the selected row's container went away,
	// cleared when the user moves).
	follow *row
	// firstOneOff is the index in rows of the first one-off container,
	// under the section's heading (len(rows) when there is none).
	firstOneOff int
	// oneOffCols are the one-off section's column widths.
	oneOffCols oneOffCols
}

func (t *servicesModel) setSize(w, h int) {
	if w != t.width {
		t.content = contentWidths(t.all)
		t.cols = layoutColumns(w, t.content)
		t.oneOffCols = layoutOneOffs(t.all, w)
	}
	t.width, t.height = w, max(h, 1)
	t.clamp()
}

// relayout widens columns whose content grew.
func (t *servicesModel) relayout() {
	grown := false
	for i, w := range contentWidths(t.all) {
		if w > t.content[i] {
			t.content[i], grown = w, true
		}
	}
	if grown || t.cols == nil {
		t.cols = layoutColumns(t.width, t.content)
	}
	t.oneOffCols = layoutOneOffs(t.all, t.width)
}

// setRows replaces the data, keeping the selected row selected.
func (t *servicesModel) setRows(rows []row) {
	key := ""
	sel, had := t.selected()
	if had {
		key = sel.key
	}
	t.all = rows
	t.relayout()
	t.apply(key)
	if had && !sel.oneOff && t.follow == nil && (t.cursor >= len(t.rows) || t.rows[t.cursor].key != key) {
		// The selected container went away (recreate, rebuild): stay with
		// its service and replica, also once the replacement shows up.
		t.follow = &sel
	}
	if t.follow != nil && t.selectReplica(t.follow.service, t.follow.number) {
		t.follow = nil
	}
}

// selectReplica moves the cursor to the row of that service and replica
// number, reporting whether one is shown; meanwhile the cursor goes to the
// service's first row, when there is one.
func (t *servicesModel) selectReplica(service string, number int) bool {
	first := -1
	for i, r := range t.rows {
		if r.service != service || r.oneOff {
			continue
		}
		if r.number == number && !strings.HasPrefix(r.key, "service:") {
			t.cursor = i
			t.clamp()
			return true
		}
		if first < 0 {
			first = i
		}
	}
	if first >= 0 {
		t.cursor = first
		t.clamp()
	}
	return false
}

// apply filters and sorts, then puts the cursor back on key.
func (t *servicesModel) apply(key string) {
	t.rows = t.rows[:0]
	for _, r := range t.all {
		if matchRow(r, t.filter) {
			t.rows = append(t.rows, r)
		}
	}
	sortRows(t.rows, t.sortCol, t.desc)
	t.firstOneOff = len(t.rows)
	for i, r := range t.rows {
		if r.key == key {
			t.cursor = i
		}
		if r.oneOff && i < t.firstOneOff {
			t.firstOneOff = i
		}
	}
	t.clamp()
}

func (t *servicesModel) clamp() {
	t.cursor = min(t.cursor, len(t.rows)-1)
	t.cursor = max(t.cursor, 0)
	if t.cursor < t.offset {
		t.offset = t.cursor
	}
	if t.height <= 0 {
		return
	}
	// The one-off section's heading takes a line: count lines, not rows.
	for t.offset < t.cursor && t.linesTo(t.offset, t.cursor) > t.height {
		t.offset++
	}
	for t.offset > 0 && t.linesTo(t.offset-1, len(t.rows)-1) <= t.height {
		t.offset--
	}
}

func (t *servicesModel) selected() (row, bool) {
	if t.cursor < 0 || t.cursor >= len(t.rows) {
		return row{}, false
	}
	return t.rows[t.cursor], true
}

// move shifts the cursor by n rows.
func (t *servicesModel) move(n int) {
	t.follow = nil
	t.cursor += n
	t.clamp()
}

// selectRow puts the cursor on a shown row (from a mouse click).
func (t *servicesModel) selectRow(i int) {
	t.follow = nil
	if i >= 0 && i < len(t.rows) {
		t.cursor = i
		t.clamp()
	}
}

// selectService moves the cursor to the first row of a service, or to a
// one-off container's row by its name.
func (t *servicesModel) selectService(name string) bool {
	t.follow = nil
	for i, r := range t.rows {
		if r.subject() == name { // a one-off container goes by its own name
			t.cursor = i
			t.clamp()
			return true
		}
	}
	return false
}

// cycleSort moves the sort to the next (dir 1) or previous shown column.
func (t *servicesModel) cycleSort(dir int) {
	l := t.cols
	pos := 0
	for i, c := range l {
		if c.col.id == t.sortCol {
			pos = i
		}
	}
	if len(l) > 0 {
		t.sortCol = l[(pos+dir+len(l))%len(l)].col.id
	}
	t.reapply()
}

func (t *servicesModel) reverse() { t.desc = !t.desc; t.reapply() }

// sortAt sorts by the column under x (a click on the header); a second
// click on the same column reverses the order.
func (t *servicesModel) sortAt(x int) {
	pos := 1 // the gutter
	for _, c := range t.cols {
		if x >= pos && x < pos+c.width {
			if c.col.id == t.sortCol {
				t.desc = !t.desc
			} else {
				t.sortCol, t.desc = c.col.id, false
			}
			t.reapply()
			return
		}
		pos += c.width + 1
	}
}

func (t *servicesModel) setFilter(f string) { t.filter = f; t.reapply() }

func (t *servicesModel) reapply() {
	key := ""
	if r, ok := t.selected(); ok {
		key = r.key
	}
	t.apply(key)
}

// view renders the header and the visible rows only.
func (t *servicesModel) view(st styles, now time.Time, h *history) string {
	l := t.cols
	var b strings.Builder
	for _, c := range l {
		b.WriteByte(' ')
		title := c.col.title
		style := st.tableHeader
		if c.col.id == t.sortCol {
			style = st.sortedHeader
			title += map[bool]string{false: "↑", true: "↓"}[t.desc]
		}
		b.WriteString(style.Render(fit(title, c.width)))
	}
	lines := []string{b.String()}
	for i := t.offset; i < len(t.rows) && len(lines) <= t.height; i++ {
		r := t.rows[i]
		if !r.oneOff {
			lines = append(lines, serviceRow(r, l, now, h, st, i == t.cursor))
			continue
		}
		if i == t.firstOneOff {
			lines = append(lines, oneOffHeading(t.oneOffCols, t.width, st))
			if len(lines) > t.height {
				break
			}
		}
		lines = append(lines, oneOffLine(r, t.oneOffCols, t.width, now, st, i == t.cursor))
	}
	if len(t.rows) == 0 {
		msg := "no services"
		if t.filter != "" {
			msg = "no service matches " + t.filter
		}
		lines = append(lines, st.muted.Render(fit(msg, t.width)))
	}
	for len(lines) < t.height+1 {
		lines = append(lines, "")
	}
	return strings.Join(lines, "\n")
}
