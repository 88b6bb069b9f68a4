package tui

import (
	"context"
	"slices"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"
)

func TestParsePalette(t *testing.T) {
	cases := []struct {
		line, verb string
		act        action
		arg        string
		ok         bool
	}{
		{"restart web", "restart", actRestart, "web", true},
		{"  stop  ", "stop", actStop, "", true},
		{"reb web", "rebuild", actRebuild, "web", true},
		{"re", "re", "", "", false},
		{"frobnicate", "frobnicate", "", "", false},
		{"", "", "", "", false},
	}
	for _, c := range cases {
		verb, b, arg, ok := testKeys.parsePalette(c.line)
		act := b.action
		if verb != c.verb || act != c.act || arg != c.arg || ok != c.ok {
			t.Errorf("parsePalette(%q) = %q %q %q %v; want %q %q %q %v", c.line, verb, act, arg, ok, c.verb, c.act, c.arg, c.ok)
		}
	}
	if got := testKeys.paletteMatches("re"); !slices.Equal(got, []string{"rebuild", "recreate", "reload", "restart"}) {
		t.Errorf("paletteMatches(re) = %v", got)
	}
}

var testKeys, _ = newKeyMap(nil)

func TestPaletteRunsVerbs(t *testing.T) {
	hs, f := tableScreen(t)
	hs.keys(":")
	hs.typeText("restart db")
	hs.keys("enter")
	if !hasCall(f, "restart db") {
		t.Errorf(":restart db did not restart db: %v", f.Calls())
	}
	hs.keys(":")
	hs.typeText("sto")
	hs.keys("tab")
	if hs.m.input.value != "stop " {
		t.Errorf("tab completed to %q", hs.m.input.value)
	}
	hs.typeText("nosuch")
	hs.keys("enter")
	hs.contains(`stop: no service "nosuch"`)
	hs.keys(":")
	hs.typeText("shell cache")
	hs.keys("enter")
	hs.contains("shell: cache has no container")
	hs.keys(":")
	hs.typeText("bogus")
	hs.keys("enter")
	hs.contains(`unknown command "bogus"`)
	hs.keys(":")
	hs.typeText("search timeout")
	hs.keys("enter")
	hs.contains("search /timeout")
	hs.keys(":", "esc")
	if hs.m.input.purpose != inputNone {
		t.Error("esc did not close the palette")
	}
	hs.keys(":")
	hs.typeText("q")
	hs.keys("enter")
	if !hs.quit {
		t.Error(":q did not quit")
	}
}

func TestPasteIntoInput(t *testing.T) {
	hs, _ := tableScreen(t)
	hs.keys("/")
	hs.send(tea.PasteMsg{Content: "we\n"})
	if hs.m.input.value != "we" || order(hs.m) != "web#1 web#2" {
		t.Errorf("paste gave %q and rows %q", hs.m.input.value, order(hs.m))
	}
}

// TestPaletteTabCompletesAndCycles: Tab completes to what the matches
// share, then steps through them; one match is taken whole.
func TestPaletteTabCompletesAndCycles(t *testing.T) {
	hs, _ := tableScreen(t)
	hs.keys(":")
	hs.typeText("ti")
	steps := []string{"time", "time-window", "timestamps", "time-window"}
	for _, want := range steps {
		hs.keys("tab")
		if hs.m.input.value != want {
			t.Fatalf("tab gave %q, want %q (steps %v)", hs.m.input.value, want, steps)
		}
	}
	hs.typeText("x") // typing ends the cycle
	for range len("time-windowx") {
		hs.keys("backspace")
	}
	hs.typeText("reb")
	if hs.m.input.value != "reb" {
		t.Fatalf("after editing: %q", hs.m.input.value)
	}
	hs.keys("tab")
	if hs.m.input.value != "rebuild " {
		t.Errorf("one match: %q, want %q", hs.m.input.value, "rebuild ")
	}
	hs.typeText("w")
	hs.keys("tab")
	if hs.m.input.value != "rebuild web" {
		t.Errorf("service completion: %q", hs.m.input.value)
	}
	hs.keys("ctrl+u")
	hs.typeText("restart ")
	for _, want := range []string{"restart cache", "restart db", "restart web", "restart worker"} {
		hs.keys("tab") // the services share nothing more: Tab cycles at once
		if hs.m.input.value != want {
			t.Errorf("cycling through services: %q, want %q", hs.m.input.value, want)
		}
	}
}

// TestPaletteListIsWrappedAndSaysWhyNot: the list of commands is wrapped,
// not cut, and a chosen command says what it does and why it cannot run.
func TestPaletteListIsWrappedAndSaysWhyNot(t *testing.T) {
	f, opts := shopModel(t, Options{})
	hs := newHarness(t, newModel(context.Background(), f, opts), 80, 24)
	hs.keys(":")
	lines := strings.Split(hs.screen(), "\n")
	scr := strings.Join(lines[len(lines)-6:], "\n") // below the table
	for name := range testKeys.paletteVerbs() {
		if !strings.Contains(scr, " "+name+" ") && !strings.Contains(scr, " "+name+"\n") {
			t.Errorf("the palette list lacks %q:\n%s", name, scr)
		}
	}
	if strings.Contains(scr, "…") {
		t.Errorf("the palette list is cut:\n%s", scr)
	}
	hs.typeText("shell")
	hs.contains("shell — shell in the container")
	hs.contains("not now:")
	hs.contains("cache has no container (not created)")
}

func TestCommonPrefix(t *testing.T) {
	cases := []struct {
		in   []string
		want string
	}{
		{nil, ""}, {[]string{"stop"}, "stop"}, {[]string{"restart", "recreate", "reload"}, "re"},
		{[]string{"sort-next", "sort-prev"}, "sort-"}, {[]string{"a", "b"}, ""},
	}
	for _, c := range cases {
		if got := commonPrefix(c.in); got != c.want {
			t.Errorf("commonPrefix(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

func TestLineInputComplete(t *testing.T) {
	matches := func(s string) []string {
		var out []string
		for _, m := range []string{"sort", "sort-next", "sort-prev", "stop", "restart web", "restart worker"} {
			if strings.HasPrefix(m, s) {
				out = append(out, m)
			}
		}
		return out
	}
	cases := []struct {
		typed string
		tabs  int
		want  string
	}{
		{"st", 1, "stop "},              // one match, a verb: ready for its argument
		{"so", 1, "sort"},               // the common prefix
		{"so", 2, "sort"},               // nothing more in common: the first match
		{"so", 3, "sort-next"},          // then the next
		{"so", 5, "sort"},               // and round again
		{"restart w", 1, "restart web"}, // nothing more in common: cycle at once
		{"restart w", 2, "restart worker"},
		{"restart we", 1, "restart web"}, // one match with an argument: no space
		{"x", 1, "x"},
	}
	for _, c := range cases {
		in := lineInput{purpose: inputPalette, value: c.typed}
		for range c.tabs {
			in.complete(matches)
		}
		if in.value != c.want {
			t.Errorf("%q + %d tabs = %q, want %q", c.typed, c.tabs, in.value, c.want)
		}
	}
}
