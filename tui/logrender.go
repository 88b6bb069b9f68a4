package tui

import (
	"regexp"
	"strings"

	"github.com/charmbracelet/x/ansi"
)

const tsLayout = "15:04:05.000"

func stripSGR(s string) string { return ansi.Strip(s) }

// prefixWidth is the width of the service column of merged logs.
func (v *logView) prefixWidth() int {
	if v.service != "" {
		return 0
	}
	w := 0
	for _, r := range v.store.rings {
		n := len(r.name)
		if r.scaled() {
			n += 3
		}
		w = max(w, n)
	}
	// A narrow screen keeps two thirds for the text; one too narrow for
	// even a short name drops the column.
	limit := min(20, (v.width-3)/3)
	if w == 0 || limit < 2 {
		return 0
	}
	return min(w, limit)
}

// textWidth is what is left of a row for the line itself.
func (v *logView) textWidth() int {
	w := v.width
	if pw := v.prefixWidth(); pw > 0 {
		w -= pw + 3
	}
	if v.showTimestamps() {
		w -= len(tsLayout) + 1
	}
	return max(w, 1)
}

// showTimestamps is the timestamps toggle, on screens wide enough for them.
func (v *logView) showTimestamps() bool {
	return v.timestamps && v.width >= 3*(len(tsLayout)+1)
}

// prefix is the coloured "service │ " of merged logs, cached per label.
func (v *logView) prefix(svc int, e *logEntry, st styles) string {
	pw := v.prefixWidth()
	if pw == 0 {
		return ""
	}
	if v.prefixW != pw || v.prefixes == nil {
		v.prefixes, v.prefixW = map[string]string{}, pw
	}
	label := v.store.rings[svc].label(e)
	if p, ok := v.prefixes[label]; ok {
		return p
	}
	p := st.service(svc).Render(fit(label, pw)) + st.muted.Render(" │ ")
	v.prefixes[label] = p
	return p
}

// resetPrefixes forgets rendered prefixes (after a theme change).
func (v *logView) resetPrefixes() { v.prefixes = nil }

// view renders exactly height rows: the page at the current position, or
// the last page when following.
func (v *logView) view(st styles) string {
	if v.height <= 0 {
		return ""
	}
	idx := v.index()
	start := v.top
	if v.follow {
		start = v.bottomTop()
	}
	start = max(start, 0)
	rows := make([]string, 0, v.height)
	for i := start; i < len(idx) && len(rows) < v.height; i++ {
		e, ok := v.visible(idx, i)
		if !ok {
			continue
		}
		rows = append(rows, v.renderLine(idx[i], e, i == v.match, st)...)
	}
	if len(rows) == 0 {
		rows = append(rows, st.muted.Render(fit(v.emptyText(), v.width)))
	}
	if len(rows) > v.height {
		rows = rows[:v.height]
	}
	for len(rows) < v.height {
		rows = append(rows, "")
	}
	return strings.Join(rows, "\n")
}

func (v *logView) emptyText() string {
	switch {
	case v.filter != nil:
		return "no line matches the filter"
	case v.window > 0:
		return "no line in this time window" // the title says which
	case v.service != "":
		return "no log lines from " + v.service + " yet"
	}
	return "no log lines yet"
}

// renderLine draws one log line as one row, or several when wrapping.
func (v *logView) renderLine(r ref, e *logEntry, current bool, st styles) []string {
	lead := v.prefix(r.svc(), e, st)
	if v.showTimestamps() {
		lead = st.muted.Render(e.time.Format(tsLayout)) + " " + lead
	}
	tw := v.textWidth()
	var parts []string
	if v.wrap {
		parts = wrapLine(e, tw)
	} else {
		parts = []string{cutLine(e, tw)}
	}
	pad := ""
	if len(parts) > 1 {
		pad = strings.Repeat(" ", v.width-tw)
	}
	for i, p := range parts {
		if v.search != nil {
			p = highlight(p, v.search, current, st)
		}
		if i == 0 {
			parts[i] = lead + p
		} else {
			parts[i] = pad + p
		}
	}
	return parts
}

// highlight marks the matches of re in a row; a row with colours loses
// them when it has a match, so the marks stay readable.
func highlight(s string, re *regexp.Regexp, current bool, st styles) string {
	plain := s
	if strings.IndexByte(s, 0x1b) >= 0 {
		plain = stripSGR(s)
	}
	locs := re.FindAllStringIndex(plain, -1)
	if len(locs) == 0 {
		return s
	}
	mark := st.match
	if current {
		mark = st.currentMatch
	}
	var b strings.Builder
	prev := 0
	for _, l := range locs {
		if l[1] == l[0] {
			continue
		}
		b.WriteString(plain[prev:l[0]])
		b.WriteString(mark.Render(plain[l[0]:l[1]]))
		prev = l[1]
	}
	b.WriteString(plain[prev:])
	return b.String()
}

// lines returns every shown line as plain text, for saving.
func (v *logView) lines() []string {
	idx := v.index()
	out := make([]string, 0, len(idx))
	for i := range idx {
		e, ok := v.visible(idx, i)
		if !ok {
			continue
		}
		var b strings.Builder
		b.WriteString(e.time.Format("2006-01-02T15:04:05.000Z07:00 "))
		if v.service == "" {
			b.WriteString(v.store.rings[idx[i].svc()].label(e) + " | ")
		}
		b.WriteString(stripSGR(e.text))
		out = append(out, b.String())
	}
	return out
}

// status describes the view's mode for its title bar.
func (v *logView) status() string {
	parts := []string{"all services"}
	if v.service != "" {
		parts[0] = v.service
	}
	if v.followsSelection {
		parts[0] += " (selected service)"
	}
	if v.follow {
		parts = append(parts, "following")
	} else {
		parts = append(parts, "paused")
	}
	if v.filter != nil {
		parts = append(parts, "filter &"+cleanPattern(v.filter))
	}
	if v.search != nil {
		parts = append(parts, "search /"+cleanPattern(v.search))
	}
	if v.window > 0 {
		parts = append(parts, "last "+humanDuration(v.window))
	}
	if v.wrap {
		parts = append(parts, "wrap")
	}
	if v.timestamps {
		parts = append(parts, "timestamps")
	}
	return strings.Join(parts, " · ")
}

func cleanPattern(re *regexp.Regexp) string {
	return strings.TrimPrefix(re.String(), "(?i)")
}
