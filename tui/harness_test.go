package tui

import (
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"
)

// harness runs a model's commands the way Bubble Tea does (each in its own
// goroutine, results fed back to Update) and waits until it is quiet.
type harness struct {
	t    *testing.T
	m    *model
	msgs chan tea.Msg
	quit bool
}

func newHarness(t *testing.T, m *model, w, h int) *harness {
	t.Helper()
	hs := &harness{t: t, m: m, msgs: make(chan tea.Msg, 256)}
	m.Update(tea.WindowSizeMsg{Width: w, Height: h})
	hs.do(m.Init())
	hs.settle()
	return hs
}

func (h *harness) do(cmd tea.Cmd) {
	if cmd == nil {
		return
	}
	go func() { h.msgs <- cmd() }()
}

func (h *harness) handle(msg tea.Msg) {
	switch msg := msg.(type) {
	case nil:
	case tea.BatchMsg:
		for _, c := range msg {
			h.do(c)
		}
	case tea.QuitMsg:
		h.quit = true
	default:
		_, cmd := h.m.Update(msg)
		h.do(cmd)
	}
}

// settle handles messages until none arrives for a while.
func (h *harness) settle() {
	for {
		select {
		case msg := <-h.msgs:
			h.handle(msg)
		case <-time.After(40 * time.Millisecond):
			return
		}
	}
}

// until handles messages until cond holds, then settles: a fixed quiet
// time alone is not enough on a loaded machine (stats that arrive before
// the containers are listed are dropped, and the screen waits for the
// next batch).
func (h *harness) until(what string, cond func() bool) {
	h.t.Helper()
	deadline := time.After(10 * time.Second)
	for !cond() {
		select {
		case msg := <-h.msgs:
			h.handle(msg)
		case <-deadline:
			h.t.Fatalf("timed out waiting for %s", what)
		}
	}
	h.settle()
}

// listed waits until the containers are listed.
func (h *harness) listed() {
	h.t.Helper()
	h.until("the containers to be listed", func() bool { return len(h.m.containers) > 0 })
}

func (h *harness) send(msg tea.Msg) {
	h.handle(msg)
	h.settle()
}

// keys presses each key in turn ("enter", "ctrl+c", "j", ...).
func (h *harness) keys(keys ...string) {
	for _, k := range keys {
		h.send(keyMsg(k))
	}
}

// typeText types literal text into an input.
func (h *harness) typeText(s string) {
	for _, r := range s {
		h.send(tea.KeyPressMsg{Code: r, Text: string(r)})
	}
}

// screen is the current frame without colours.
func (h *harness) screen() string {
	return ansi.Strip(h.m.View().Content)
}

func (h *harness) contains(want string) {
	h.t.Helper()
	if s := h.screen(); !strings.Contains(s, want) {
		h.t.Fatalf("screen does not show %q:\n%s", want, s)
	}
}

var specialKeys = map[string]tea.KeyPressMsg{
	"enter":     {Code: tea.KeyEnter},
	"esc":       {Code: tea.KeyEscape},
	"tab":       {Code: tea.KeyTab},
	"shift+tab": {Code: tea.KeyTab, Mod: tea.ModShift},
	"up":        {Code: tea.KeyUp},
	"down":      {Code: tea.KeyDown},
	"backspace": {Code: tea.KeyBackspace},
	"space":     {Code: tea.KeySpace, Text: " "},
	"ctrl+c":    {Code: 'c', Mod: tea.ModCtrl},
	"ctrl+s":    {Code: 's', Mod: tea.ModCtrl},
	"ctrl+d":    {Code: 'd', Mod: tea.ModCtrl},
	"ctrl+u":    {Code: 'u', Mod: tea.ModCtrl},
	"ctrl+r":    {Code: 'r', Mod: tea.ModCtrl},
	"pgup":      {Code: tea.KeyPgUp},
	"pgdown":    {Code: tea.KeyPgDown},
	"home":      {Code: tea.KeyHome},
	"end":       {Code: tea.KeyEnd},
}

func keyMsg(k string) tea.KeyPressMsg {
	if m, ok := specialKeys[k]; ok {
		return m
	}
	r := []rune(k)
	return tea.KeyPressMsg{Code: r[0], Text: k}
}

func TestKeyMsgStrings(t *testing.T) {
	for k := range specialKeys {
		if got := keyMsg(k).String(); got != k {
			t.Errorf("keyMsg(%q).String() = %q", k, got)
		}
	}
}

func mouseClick(x, y int) tea.MouseClickMsg {
	return tea.MouseClickMsg{X: x, Y: y, Button: tea.MouseLeft}
}

func mouseWheel(down bool, x, y int) tea.MouseWheelMsg {
	b := tea.MouseWheelUp
	if down {
		b = tea.MouseWheelDown
	}
	return tea.MouseWheelMsg{X: x, Y: y, Button: b}
}

func tea_WindowSize(w, h int) tea.WindowSizeMsg { return tea.WindowSizeMsg{Width: w, Height: h} }
