package main

import (
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/devstack/devstack/stack"
)

// pullView renders image pulls and pushes the way compose does: on a
// terminal, one live line per image (Pulling/Pulled, percent, bytes, speed)
// with a line per layer when the screen has room, redrawn at most every
// 100 ms; without a terminal, plain lines at the start, at each finished
// layer, every few seconds, and at the end.
type pullView struct {
	w      io.Writer
	live   bool
	height func() int // terminal rows (live only)
	paint  func(color int, s string) string
	now    func() time.Time

	images []*imageLine
	byRef  map[string]*imageLine
	drawn  int // lines of the live region on screen
	last   time.Time
}

// imageLine is what the view knows of one image.
type imageLine struct {
	ref      string
	kind     stack.ProgressKind
	text     string
	st       stack.PullStatus
	start    time.Time
	end      time.Time
	speed    rate
	printed  time.Time       // plain mode: last progress line
	doneSeen map[string]bool // plain mode: layers already reported done
}

func newPullView(w io.Writer, live bool, height func() int, paint func(int, string) string) *pullView {
	return &pullView{w: w, live: live, height: height, paint: paint, now: time.Now, byRef: map[string]*imageLine{}}
}

// report takes one pull or push step.
func (v *pullView) report(p stack.Progress) {
	now := v.now()
	l, ok := v.byRef[p.Subject]
	if !ok {
		l = &imageLine{ref: p.Subject, start: now, doneSeen: map[string]bool{}}
		v.byRef[p.Subject] = l
		v.images = append(v.images, l)
	}
	prevKind := l.kind
	l.kind, l.text = p.Kind, p.Text
	if p.Pull != nil {
		l.st = *p.Pull
		l.speed.add(now, l.st.Current)
	}
	final := isFinal(p.Kind)
	if final && l.end.IsZero() {
		l.end = now
	}
	if v.live {
		if final || prevKind != p.Kind || now.Sub(v.last) >= 100*time.Millisecond {
			v.draw(now)
		}
		return
	}
	v.plain(l, p, now, prevKind)
}

func isFinal(k stack.ProgressKind) bool {
	switch k {
	case stack.ProgressPulled, stack.ProgressPushed, stack.ProgressError, stack.ProgressWarning, stack.ProgressSkipped:
		return true
	}
	return false
}

// settle leaves the live region as it stands, so other lines print below.
func (v *pullView) settle() {
	if v.live && v.drawn > 0 {
		v.draw(v.now())
		v.drawn = 0
		v.images, v.byRef = nil, map[string]*imageLine{}
	}
}

// draw repaints the live region in place.
func (v *pullView) draw(now time.Time) {
	v.last = now
	lines := make([]string, 0, len(v.images)*2)
	room := 0
	if v.height != nil {
		room = v.height() - 2 - len(v.images)
	}
	for _, l := range v.images {
		lines = append(lines, v.imageText(l, now))
		if l.end.IsZero() && len(l.st.Layers) <= room {
			for _, ly := range l.st.Layers {
				lines = append(lines, "    "+v.paint(90, layerText(ly)))
			}
			room -= len(l.st.Layers)
		}
	}
	var b strings.Builder
	if v.drawn > 0 {
		fmt.Fprintf(&b, "\x1b[%dF", v.drawn)
	}
	for _, s := range lines {
		b.WriteString(s)
		b.WriteString("\x1b[K\n")
	}
	if extra := v.drawn - len(lines); extra > 0 {
		// The region shrank (layers folded away): clear what is left.
		b.WriteString(strings.Repeat("\x1b[K\n", extra))
		fmt.Fprintf(&b, "\x1b[%dF", extra)
	}
	v.drawn = len(lines)
	io.WriteString(v.w, b.String())
}

// imageText is one image's line: ` ⠿ mariadb:11.4  Pulling  43%  12.1/28.0 MB  3.2 MB/s`.
func (v *pullView) imageText(l *imageLine, now time.Time) string {
	mark, color := "•", 34
	word := map[stack.ProgressKind]string{stack.ProgressPulling: "Pulling", stack.ProgressPushing: "Pushing",
		stack.ProgressPulled: "Pulled", stack.ProgressPushed: "Pushed", stack.ProgressSkipped: "Skipped",
		stack.ProgressWarning: "Warning", stack.ProgressError: "Error"}[l.kind]
	switch l.kind {
	case stack.ProgressPulled, stack.ProgressPushed, stack.ProgressSkipped:
		mark, color = "✔", 32
	case stack.ProgressError:
		mark, color = "✘", 31
	case stack.ProgressWarning:
		mark, color = "!", 33
	}
	s := fmt.Sprintf(" %s %-32s %s", v.paint(color, mark), l.ref, v.paint(color, fmt.Sprintf("%-8s", word)))
	switch {
	case l.kind == stack.ProgressError || l.kind == stack.ProgressWarning || l.kind == stack.ProgressSkipped:
		return s + " " + l.text
	case !l.end.IsZero():
		return s + fmt.Sprintf(" %s  %s", humanBytes(l.st.Total), v.paint(90, fmt.Sprintf("%.1fs", l.end.Sub(l.start).Seconds())))
	}
	return s + " " + transferText(l.st, l.speed.perSecond(now))
}

// transferText is `43%  12.1/28.0 MB  3.2 MB/s  2/4 layers`.
func transferText(st stack.PullStatus, perSec float64) string {
	if st.Total == 0 {
		if len(st.Layers) > 0 {
			return fmt.Sprintf("%d/%d layers", st.LayersDone(), len(st.Layers))
		}
		return ""
	}
	s := fmt.Sprintf("%3d%%  %s", st.Percent(), bytesOf(st.Current, st.Total))
	if perSec > 0 {
		s += "  " + humanBytes(int64(perSec)) + "/s"
	}
	return s + fmt.Sprintf("  %d/%d layers", st.LayersDone(), len(st.Layers))
}

// layerText is one layer's line: `a1b2c3d4e5f6  Downloading  3.1/12.0 MB`.
func layerText(l stack.LayerStatus) string {
	s := fmt.Sprintf("%-12s  %-18s", l.ID, l.Status)
	if l.Total > 0 && !l.Done {
		s += " " + bytesOf(l.Current, l.Total)
	}
	return s
}

// plain writes the lines of the no-terminal mode.
func (v *pullView) plain(l *imageLine, p stack.Progress, now time.Time, prevKind stack.ProgressKind) {
	switch {
	case isFinal(p.Kind):
		fmt.Fprintln(v.w, v.imageText(l, now))
	case prevKind == "":
		fmt.Fprintf(v.w, " • %-32s %s\n", l.ref, wordOf(p.Kind))
	case p.Pull != nil && p.Pull.Layer >= 0:
		ly := p.Pull.Layers[p.Pull.Layer]
		if finalLayer(ly.Status) && !l.doneSeen[ly.ID] {
			l.doneSeen[ly.ID] = true
			fmt.Fprintf(v.w, "   %s %s %s\n", l.ref, ly.ID, ly.Status)
		} else if now.Sub(l.printed) >= 2*time.Second && l.st.Total > 0 {
			l.printed = now
			fmt.Fprintf(v.w, "   %s %s %s\n", l.ref, strings.ToLower(wordOf(p.Kind)), transferText(l.st, l.speed.perSecond(now)))
		}
	}
}

// finalLayer reports whether a layer's status is its last word.
func finalLayer(status string) bool {
	switch status {
	case "Pull complete", "Already exists", "Pushed", "Layer already exists":
		return true
	}
	return strings.HasPrefix(status, "Mounted from")
}

func wordOf(k stack.ProgressKind) string {
	if k == stack.ProgressPushing {
		return "Pushing"
	}
	return "Pulling"
}

// bytesOf is `12.1/28.0 MB` in the unit of the total.
func bytesOf(cur, total int64) string {
	unit, div := "B", 1.0
	switch {
	case total >= 1<<30:
		unit, div = "GB", 1e9
	case total >= 1e6:
		unit, div = "MB", 1e6
	case total >= 1e3:
		unit, div = "kB", 1e3
	}
	return fmt.Sprintf("%.1f/%.1f %s", float64(cur)/div, float64(total)/div, unit)
}

// humanBytes is a size in decimal units, as compose prints them.
func humanBytes(n int64) string {
	switch {
	case n >= 1e9:
		return fmt.Sprintf("%.1f GB", float64(n)/1e9)
	case n >= 1e6:
		return fmt.Sprintf("%.1f MB", float64(n)/1e6)
	case n >= 1e3:
		return fmt.Sprintf("%.1f kB", float64(n)/1e3)
	}
	return fmt.Sprintf("%d B", n)
}

// rate is a transfer speed over the last few seconds of samples.
type rate struct {
	at    [8]time.Time
	bytes [8]int64
	n     int
}

func (r *rate) add(t time.Time, b int64) {
	i := r.n % len(r.at)
	if r.n > 0 && t.Sub(r.at[(r.n-1)%len(r.at)]) < 250*time.Millisecond {
		r.bytes[(r.n-1)%len(r.at)] = b // same slot: keep samples apart
		return
	}
	r.at[i], r.bytes[i] = t, b
	r.n++
}

// perSecond is the speed between the oldest kept sample and now's.
func (r *rate) perSecond(now time.Time) float64 {
	if r.n < 2 {
		return 0
	}
	newest := (r.n - 1) % len(r.at)
	oldest := 0
	if r.n > len(r.at) {
		oldest = r.n % len(r.at)
	}
	dt := r.at[newest].Sub(r.at[oldest]).Seconds()
	if dt <= 0 {
		return 0
	}
	return float64(r.bytes[newest]-r.bytes[oldest]) / dt
}
