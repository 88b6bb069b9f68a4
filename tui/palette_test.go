package tui

import (
	"slices"
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
