package tui

import (
	"time"

	"github.com/charmbracelet/x/ansi"
)

// column describes a column of the services table. Most columns are as
// wide as their content (between min and that); the bars and histories
// are flexible: shown at min, widened up to max with the room left.
type column struct {
	id       colID
	title    string
	min, max int
	prio     int
	flex     bool
}

var columns = []column{
	{colName, "SERVICE", 8, 40, 100, false},
	{colState, "STATE", 8, 30, 90, false},
	{colUptime, "UP", 6, 6, 60, false},
	{colRestarts, "RST", 4, 5, 50, false},
	{colCPU, "CPU", 6, 16, 80, true},
	{colCPUHist, "CPU HIST", 12, 20, 35, true},
	{colMem, "MEM", 8, 24, 75, false},
	{colMemHist, "MEM HIST", 12, 20, 34, true},
	{colNet, "NET ↓/↑", 8, 21, 30, false},
	{colBlock, "BLOCK r/w", 10, 21, 20, false},
	{colPorts, "PORTS", 8, 60, 55, false},
	{colImage, "IMAGE", 12, 80, 40, false},
}

// layout is the chosen columns and their widths for a table width.
type layout []struct {
	col   column
	width int
}

// contentWidths is how wide each column's content is in these rows (the
// title with its sort arrow included), for layoutColumns.
func contentWidths(rows []row) [numCols]int {
	var w [numCols]int
	for _, c := range columns {
		w[c.id] = ansi.StringWidth(c.title) + 1
	}
	for _, r := range rows {
		if r.oneOff {
			continue // drawn in columns of its own
		}
		for _, id := range []colID{colName, colState, colMem, colNet, colBlock, colPorts, colImage} {
			text, _ := cellText(r, id, 0, time.Time{}, nil)
			w[id] = max(w[id], ansi.StringWidth(text))
		}
	}
	return w
}

// layoutColumns fits columns to a width by priority: each column in turn
// gets its whole content when that fits, else all the room left (at least
// its min), so a column is never cut to make room for one that matters
// less. The room left at the end widens the flexible columns (bars and
// histories) toward their max. Display order is kept.
func layoutColumns(width int, content [numCols]int) layout {
	byPrio := make([]column, len(columns))
	copy(byPrio, columns)
	sortByPrio(byPrio)
	chosen := map[colID]int{}
	used := 0 // each column takes its width plus one cell (gutter or gap)
	for _, c := range byPrio {
		want := c.min
		if !c.flex {
			want = min(max(content[c.id], c.min), c.max)
		}
		room := width - used - 1
		if room < c.min && c.id != colName {
			continue
		}
		w := max(1, min(want, room))
		chosen[c.id] = w
		used += 1 + w
	}
	for _, c := range byPrio {
		if w, ok := chosen[c.id]; ok && c.flex {
			add := max(0, min(c.max-w, width-used))
			chosen[c.id] += add
			used += add
		}
	}
	var l layout
	for _, c := range columns {
		if w, ok := chosen[c.id]; ok {
			l = append(l, struct {
				col   column
				width int
			}{c, w})
		}
	}
	return l
}

func sortByPrio(cs []column) {
	for i := 1; i < len(cs); i++ {
		for j := i; j > 0 && cs[j].prio > cs[j-1].prio; j-- {
			cs[j], cs[j-1] = cs[j-1], cs[j]
		}
	}
}
