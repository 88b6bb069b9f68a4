package tui

import (
	"context"
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"
)

func TestKeyTableHasNoConflicts(t *testing.T) {
	seen := map[scope]map[string]action{}
	for _, b := range keyTable {
		if b.help == "" || (len(b.keys) == 0 && b.palette == notInPalette) {
			t.Errorf("%s has no help, or neither a key nor a palette command", b.action)
		}
		for _, k := range b.keys {
			if seen[b.scope] == nil {
				seen[b.scope] = map[string]action{}
			}
			if other, ok := seen[b.scope][k]; ok {
				t.Errorf("key %q is bound to %s and %s in the same scope", k, other, b.action)
			}
			seen[b.scope][k] = b.action
		}
	}
	// A pane key may shadow a global one only on purpose.
	// q and esc close the picker (q does not quit from it).
	allowed := map[string]bool{"q": true, "esc": true}
	for sc := range seen {
		if sc == scopeGlobal {
			continue
		}
		for k, a := range seen[sc] {
			if g, ok := seen[scopeGlobal][k]; ok && !(allowed[k] && sc == scopePicker) {
				t.Errorf("%s key %q (%s) shadows global %s", scopeNames[sc], k, a, g)
			}
		}
	}
}

func TestKeyOverrides(t *testing.T) {
	km, err := newKeyMap(map[string][]string{"restart": {"ctrl+t"}, "quit": {"Q"}})
	if err != nil {
		t.Fatal(err)
	}
	if b, ok := km.lookup(scopeTable, "ctrl+t"); !ok || b.action != actRestart {
		t.Errorf("ctrl+t is %v %v", b.action, ok)
	}
	if _, ok := km.lookup(scopeTable, "r"); ok {
		t.Error("r still restarts after the override")
	}
	if b, _ := km.lookup(scopeLogs, "Q"); b.action != actQuit {
		t.Error("Q does not quit")
	}
	if _, err := newKeyMap(map[string][]string{"explode": {"x"}}); err == nil || !strings.Contains(err.Error(), `unknown action "explode"`) {
		t.Errorf("unknown action: %v", err)
	}
}

func TestHelpIsGeneratedFromKeyTable(t *testing.T) {
	f, opts := shopModel(t, Options{})
	opts.Keys = map[string][]string{"rebuild": {"B"}}
	m := newModel(context.Background(), f, opts)
	km := m.keys
	var lines []string
	for _, s := range helpSections(km, m) {
		lines = append(lines, s.render(200, keyWidth(helpSections(km, m)), m.st)...)
	}
	text := ansi.Strip(strings.Join(lines, "\n"))
	for _, b := range km.bindings {
		if len(b.keys) > 0 && !strings.Contains(text, b.help) {
			t.Errorf("help lacks %q", b.help)
		}
	}
	for name := range km.paletteVerbs() {
		if !strings.Contains(text, " "+name) {
			t.Errorf("help lacks the palette command %q", name)
		}
	}
	if !strings.Contains(text, "B             rebuild from a chosen Dockerfile stage") {
		t.Errorf("help does not show the overridden key:\n%s", text)
	}
	if !strings.Contains(text, "n             next match — no search yet") {
		t.Errorf("help does not say why n is unavailable:\n%s", text)
	}
}

func TestHelpToggle(t *testing.T) {
	hs, _ := tableScreen(t)
	hs.keys("?")
	hs.contains("show or hide this help")
	hs.keys("?")
	if hs.m.showHelp {
		t.Error("? did not close help")
	}
	hs.keys("?", "j", "x")
	if hs.m.showHelp {
		t.Error("a key other than j/k did not close help")
	}
}

// TestPickerAndHelpFollowOverrides: the picker and help move with the
// keys the user configured, not with hard-coded j/k, and say so.
func TestPickerAndHelpFollowOverrides(t *testing.T) {
	f, opts := shopModel(t, Options{})
	opts.Keys = map[string][]string{"cursor-down": {"J"}, "cursor-up": {"K"}, "cancel": {"c"}}
	hs := newHarness(t, newModel(context.Background(), f, opts), 120, 40)
	hs.keys("J", "J", "b")
	if hs.m.bottom != bottomPicker {
		t.Fatalf("b did not open the picker:\n%s", hs.screen())
	}
	at := hs.m.picker.cursor
	hs.keys("j")
	if hs.m.picker.cursor != at {
		t.Error("j still moves the picker after cursor-down was bound to J")
	}
	hs.keys("K")
	if hs.m.picker.cursor != at-1 {
		t.Errorf("K moved the picker to %d, want %d", hs.m.picker.cursor, at-1)
	}
	hs.contains("J K choose")
	hs.contains("esc/c cancel")
	hs.keys("c")
	if hs.m.bottom == bottomPicker {
		t.Error("the overridden cancel key did not close the picker")
	}

	hs.send(tea_WindowSize(80, 12)) // help too long: it scrolls
	hs.keys("?")
	hs.contains("J K scroll")
	hs.keys("J")
	if !hs.m.showHelp || hs.m.help.offset != 1 {
		t.Errorf("J should scroll help (offset %d, shown %v)", hs.m.help.offset, hs.m.showHelp)
	}
	hs.keys("j")
	if hs.m.showHelp {
		t.Error("j, no longer a movement key, should close help like any other key")
	}
}
