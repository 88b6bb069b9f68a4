package tui

import (
	"fmt"
	"regexp"
	"strings"
	"time"

	"github.com/devstack/devstack/stack"
)

// logView shows the merged log of all services, or one service's, from the
// store. It renders only the lines that fit; positions are indexes into the
// current index (all lines, or the lines that pass the service/filter
// selection, maintained as lines arrive).
type logView struct {
	store         *logStore
	width, height int

	follow     bool
	top        int // first shown position when not following
	wrap       bool
	timestamps bool
	service    string // "" for all services
	// followsSelection: the service is the table's selected one, and
	// changes with it.
	followsSelection bool
	window           time.Duration // show only lines this recent (0: all)
	now              time.Time

	filter *regexp.Regexp
	search *regexp.Regexp
	match  int // position of the current search match, -1 for none

	custom    []ref
	useCustom bool

	prefixes map[string]string
	prefixW  int
}

// windows are the time windows the window key cycles through.
var windows = []time.Duration{0, time.Minute, 5 * time.Minute, 15 * time.Minute, time.Hour}

func newLogView(capacity int) logView {
	return logView{store: newLogStore(capacity), follow: true, match: -1}
}

func (v *logView) setSize(w, h int) { v.width, v.height = w, max(h, 0) }

func (v *logView) index() []ref {
	if v.useCustom {
		return v.custom
	}
	return v.store.all
}

// selected reports whether a line belongs in the current index.
func (v *logView) selected(r ref, e *logEntry) bool {
	if v.service != "" && v.store.serviceName(r) != v.service {
		return false
	}
	return v.filter == nil || matchEntry(v.filter, e)
}

// ingest appends a batch and keeps the indexes and positions consistent.
func (v *logView) ingest(batch []stack.LogLine) {
	added := v.store.append(batch)
	if v.useCustom {
		for _, r := range added {
			if e, ok := v.store.get(r); ok && v.selected(r, e) {
				v.custom = append(v.custom, r)
			}
		}
	}
	if !v.store.needsCompact() {
		return
	}
	if v.useCustom {
		v.store.all = v.store.compactIndex(v.store.all)
		v.custom = v.store.compactIndex(v.custom, &v.top, &v.match)
	} else {
		v.store.all = v.store.compactIndex(v.store.all, &v.top, &v.match)
	}
	v.store.evicted = 0
}

// rebuild recomputes the custom index after the selection changed.
func (v *logView) rebuild() {
	v.useCustom = v.service != "" || v.filter != nil
	v.custom = v.custom[:0]
	if v.useCustom {
		for _, r := range v.store.all {
			if e, ok := v.store.get(r); ok && v.selected(r, e) {
				v.custom = append(v.custom, r)
			}
		}
	}
	v.follow, v.match = true, -1
}

func (v *logView) setService(name string) { v.service = name; v.rebuild() }

// showAll goes back to the merged logs of all services.
func (v *logView) showAll() { v.followsSelection = false; v.setService("") }

// setFilter shows only lines matching pattern (empty: all lines).
func (v *logView) setFilter(pattern string) error {
	re, err := compilePattern(pattern)
	v.filter = re
	v.rebuild()
	return err
}

// setSearch highlights pattern and jumps to its last occurrence.
func (v *logView) setSearch(pattern string) error {
	re, err := compilePattern(pattern)
	v.search, v.match = re, -1
	if re != nil {
		v.match = len(v.index())
		v.nextMatch(-1)
	}
	return err
}

// compilePattern compiles a regular expression, case-insensitive unless it
// has upper case (smart case); an invalid one is searched literally.
func compilePattern(p string) (*regexp.Regexp, error) {
	if p == "" {
		return nil, nil
	}
	prefix := ""
	if strings.ToLower(p) == p {
		prefix = "(?i)"
	}
	re, err := regexp.Compile(prefix + p)
	if err != nil {
		return regexp.MustCompile(prefix + regexp.QuoteMeta(p)), fmt.Errorf("%q is not a valid regular expression; searching it literally", p)
	}
	return re, nil
}

func matchEntry(re *regexp.Regexp, e *logEntry) bool {
	if e.esc {
		return re.MatchString(stripSGR(e.text))
	}
	return re.MatchString(e.text)
}

// visible returns the line at a position when it is shown (alive, inside
// the time window).
func (v *logView) visible(idx []ref, i int) (*logEntry, bool) {
	e, ok := v.store.get(idx[i])
	if !ok {
		return nil, false
	}
	if v.window > 0 && e.time.Before(v.now.Add(-v.window)) {
		return nil, false
	}
	return e, true
}

// step moves from position i by n shown lines (negative: up), stopping at
// the first and last shown line.
func (v *logView) step(i, n int) int {
	idx := v.index()
	dir := 1
	if n < 0 {
		dir, n = -1, -n
	}
	last := i
	for j := i + dir; j >= 0 && j < len(idx) && n > 0; j += dir {
		if _, ok := v.visible(idx, j); ok {
			last = j
			n--
		}
	}
	return last
}

// rowsOf is how many screen rows a line takes.
func (v *logView) rowsOf(e *logEntry) int {
	if !v.wrap {
		return 1
	}
	return len(wrapLine(e, v.textWidth()))
}

// bottomTop is the first position of the page that ends with the last line.
func (v *logView) bottomTop() int {
	idx := v.index()
	rows, top := 0, len(idx)
	cutoff := v.now.Add(-v.window)
	for j := len(idx) - 1; j >= 0 && rows < v.height; j-- {
		e, ok := v.store.get(idx[j])
		if !ok {
			continue
		}
		if v.window > 0 && e.time.Before(cutoff) {
			break // lines arrive in time order: the rest is older
		}
		rows += v.rowsOf(e)
		top = j
	}
	return top
}

// scroll moves the view by n lines; reaching the end resumes following.
func (v *logView) scroll(n int) {
	start := v.top
	if v.follow {
		start = v.bottomTop()
	}
	v.follow = false
	v.top = v.step(start, n)
	if bt := v.bottomTop(); n > 0 && v.top >= bt {
		v.top, v.follow = bt, true
	}
}

func (v *logView) toTop() { v.follow = false; v.top = v.step(-1, 1) }

func (v *logView) toBottom() { v.follow = true }

// nextMatch moves the current match to the next (dir 1) or previous (-1)
// matching line and scrolls it into view.
func (v *logView) nextMatch(dir int) bool {
	if v.search == nil {
		return false
	}
	idx := v.index()
	from := v.match
	if from < 0 {
		from = v.top
		if v.follow {
			from = len(idx)
		}
	}
	for j := from + dir; j >= 0 && j < len(idx); j += dir {
		if e, ok := v.visible(idx, j); ok && matchEntry(v.search, e) {
			v.match, v.follow = j, false
			v.top = min(v.step(j, -v.height/2), v.bottomTop())
			return true
		}
	}
	return false
}

// cycleWindow switches to the next time window.
func (v *logView) cycleWindow() {
	for i, w := range windows {
		if w == v.window {
			v.window = windows[(i+1)%len(windows)]
			break
		}
	}
	v.follow = true
}
