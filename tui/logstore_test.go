package tui

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/devstack/devstack/stack"
)

func lines(svc string, from, n int) []stack.LogLine {
	out := make([]stack.LogLine, n)
	for i := range out {
		out[i] = stack.LogLine{Service: svc, Time: t0.Add(time.Duration(from+i) * time.Millisecond), Text: fmt.Sprintf("%s line %d", svc, from+i)}
	}
	return out
}

func TestLogStoreBoundedPerService(t *testing.T) {
	s := newLogStore(100)
	for i := 0; i < 50; i++ {
		s.append(lines("noisy", i*10, 10))
		s.append(lines("quiet", i, 1))
	}
	noisy := s.rings[s.byName["noisy"]]
	if len(noisy.buf) != 100 || noisy.n-noisy.start != 100 {
		t.Fatalf("noisy ring holds %d lines (%d..%d), want 100", len(noisy.buf), noisy.start, noisy.n)
	}
	if e, _ := noisy.at(noisy.n - 1); e.text != "noisy line 499" {
		t.Errorf("newest noisy line = %q", e.text)
	}
	if e, ok := noisy.at(noisy.start); !ok || e.text != "noisy line 400" {
		t.Errorf("oldest noisy line = %v %v, want noisy line 400", e, ok)
	}
	quiet := s.rings[s.byName["quiet"]]
	if quiet.n-quiet.start != 50 {
		t.Errorf("the quiet service kept %d lines, want all 50 (a noisy neighbour must not evict them)", quiet.n-quiet.start)
	}
}

func TestLogStoreCompactionKeepsPositions(t *testing.T) {
	v := newLogView(1000)
	v.setSize(80, 10)
	for i := 0; i < 10; i++ {
		v.ingest(lines("a", i*500, 500))
	}
	if len(v.store.all) > 2000 {
		t.Fatalf("merged index holds %d refs for 1000 live lines; compaction did not run", len(v.store.all))
	}
	v.toTop()
	top, _ := v.store.get(v.index()[v.top])
	v.ingest(lines("a", 5000, 600))
	now, ok := v.store.get(v.index()[max(v.top, 0)])
	if !ok {
		t.Fatal("top line is not alive after compaction")
	}
	if now.text == top.text {
		t.Fatalf("top stayed on an evicted line %q", top.text)
	}
	for i := 0; i+1 < len(v.store.all); i++ {
		a, b := v.store.all[i], v.store.all[i+1]
		if a.abs() >= b.abs() {
			t.Fatalf("merged index out of order at %d", i)
		}
	}
}

func TestSanitizeLine(t *testing.T) {
	long := strings.Repeat("x", maxLineBytes+500)
	cases := []struct {
		name, in, want string
		ascii, esc     bool
	}{
		{"plain", "hello world", "hello world", true, false},
		{"utf8", "héllo ✓", "héllo ✓", false, false},
		{"colour kept", "\x1b[31mred\x1b[0m ok", "\x1b[31mred\x1b[0m ok", false, true},
		{"cursor moves dropped", "a\x1b[2J\x1b[Hb\x1b[10;20Hc", "abc", false, false},
		{"title sequence dropped", "\x1b]0;title\x07text", "text", false, false},
		{"carriage return keeps last", "progress 10%\rprogress 50%\rprogress 100%", "progress 100%", false, false},
		{"trailing CR", "windows line\r", "windows line", false, false},
		{"tab expanded", "a\tb", "a    b", false, false},
		{"bell dropped", "ding\x07", "ding", false, false},
		{"long cut", long, strings.Repeat("x", maxLineBytes) + " …[500 bytes cut]", true, false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, ascii, esc := sanitizeLine(c.in)
			if got != c.want || ascii != c.ascii || esc != c.esc {
				t.Errorf("sanitizeLine(%q) = %q ascii=%v esc=%v; want %q ascii=%v esc=%v", trunc(c.in), trunc(got), ascii, esc, trunc(c.want), c.ascii, c.esc)
			}
		})
	}
}

func trunc(s string) string {
	if len(s) > 60 {
		return s[:60] + "…"
	}
	return s
}

func TestCutAndWrapLine(t *testing.T) {
	mk := func(s string) *logEntry {
		text, ascii, esc := sanitizeLine(s)
		return &logEntry{text: text, ascii: ascii, esc: esc}
	}
	if got := cutLine(mk("abcdefgh"), 5); got != "abcde" {
		t.Errorf("cut ascii = %q", got)
	}
	if got := cutLine(mk("\x1b[31mabcdefgh\x1b[0m"), 3); got != "\x1b[31mabc\x1b[0m\x1b[m" {
		t.Errorf("cut colour = %q", got)
	}
	if got := cutLine(mk("ééééé"), 2); got != "éé" {
		t.Errorf("cut utf8 = %q", got)
	}
	if got := wrapLine(mk("abcdefgh"), 3); strings.Join(got, "|") != "abc|def|gh" {
		t.Errorf("wrap ascii = %q", got)
	}
}
