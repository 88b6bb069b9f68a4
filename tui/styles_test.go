package tui

import (
	"context"
	"image/color"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"
)

func TestNoColorDrawsNoColours(t *testing.T) {
	f, opts := shopModel(t, Options{}) // NoColor set
	hs := newHarness(t, newModel(context.Background(), f, opts), 120, 40)
	f.stats <- shopStats()
	f.logs <- shopLogs()[:20]
	hs.settle()
	frame := hs.m.View().Content
	for _, seq := range []string{"\x1b[38;", "\x1b[48;", "\x1b[31m", "\x1b[32m"} {
		if strings.Contains(frame, seq) {
			t.Errorf("with NO_COLOR the frame has colour sequence %q", seq)
		}
	}
	if !strings.Contains(frame, "\x1b[7m") {
		t.Error("with NO_COLOR the selection is not reversed")
	}

	f2, opts2 := shopModel(t, Options{})
	opts2.NoColor = false
	m := newModel(context.Background(), f2, opts2)
	if !strings.Contains(m.View().Content, "\x1b[38;") {
		t.Error("with colours on the frame has no colour")
	}
}

func TestThemeFollowsTerminalBackground(t *testing.T) {
	f, opts := shopModel(t, Options{})
	opts.Theme = ThemeAuto
	m := newModel(context.Background(), f, opts)
	m.Update(tea.BackgroundColorMsg{Color: color.RGBA{R: 0xff, G: 0xff, B: 0xff, A: 0xff}})
	if m.st.dark {
		t.Error("a white background chose the dark theme")
	}
	m.Update(tea.BackgroundColorMsg{Color: color.RGBA{A: 0xff}})
	if !m.st.dark {
		t.Error("a black background chose the light theme")
	}
	opts.Theme = ThemeLight
	m = newModel(context.Background(), f, opts)
	m.Update(tea.BackgroundColorMsg{Color: color.RGBA{A: 0xff}})
	if m.st.dark {
		t.Error("a configured light theme was overridden by the background")
	}
}

func TestPalettesDiffer(t *testing.T) {
	d, l := newStyles(true, false), newStyles(false, false)
	if d.ok.Render("x") == l.ok.Render("x") || d.accent.Render("x") == l.accent.Render("x") {
		t.Error("light and dark palettes draw the same")
	}
}
