package tui

import (
	"context"
	"errors"
	"math/rand"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"
	"github.com/devstack/devstack/stack"
)

// TestMonkey throws random keys, mouse events, sizes and data at the model
// and checks that it never panics and never draws past the screen.
func TestMonkey(t *testing.T) {
	for seed := int64(1); seed <= 3; seed++ {
		monkey(t, seed)
	}
}

func monkey(t *testing.T, seed int64) {
	f, opts := shopModel(t, Options{})
	m := newModel(context.Background(), f, opts)
	rng := rand.New(rand.NewSource(seed))
	var keys []string
	for _, b := range keyTable {
		keys = append(keys, b.keys...)
	}
	keys = append(keys, "enter", "esc", "y", "v", "n", "x", "backspace", "a", "1", "(", "[")
	w, h := 80, 24
	m.Update(tea.WindowSizeMsg{Width: w, Height: h})
	m.Update(containersMsg{list: shopContainers()})
	for i := 0; i < 3000; i++ {
		var msg tea.Msg
		switch rng.Intn(14) {
		case 10:
			msg = eventsMsg{batch: []stack.Event{{Action: []stack.EventAction{stack.EventEngineDown, stack.EventEngineUp}[rng.Intn(2)]}}}
			m.eventsCh = nil
		case 11:
			msg = projectMsg{err: errors.New("compose.yaml:3: bad")}
			if rng.Intn(2) == 0 {
				msg = projectMsg{p: shopProject()}
			}
		case 12:
			msg = stagesMsg{service: "web", stages: []stack.BuildStage{{Name: "a"}, {Name: "b"}}, target: "b"}
		case 13:
			msg = execDoneMsg{service: "web", code: rng.Intn(130)}
		case 0:
			w, h = 5+rng.Intn(200), 3+rng.Intn(60)
			msg = tea.WindowSizeMsg{Width: w, Height: h}
		case 1:
			msg = logsMsg{batch: shopLogs()[rng.Intn(20):]}
			m.logsCh = nil
		case 2:
			msg = statsMsg{batch: shopStats()}
			m.statsCh = nil
		case 3:
			c := shopContainers()[rng.Intn(4)]
			c.State = []stack.State{stack.StateExited, stack.StateRunning, stack.StateRestarting, stack.StateDead}[rng.Intn(4)]
			msg = containerMsg{id: c.ID, c: c}
		case 4:
			msg = mouseClick(rng.Intn(w), rng.Intn(h))
		default:
			msg = keyMsg(keys[rng.Intn(len(keys))])
		}
		if km, ok := msg.(tea.KeyPressMsg); ok && (km.String() == "q" || km.String() == "ctrl+c") {
			continue
		}
		m.Update(msg)
		for j, l := range strings.Split(m.render(), "\n") {
			if lw := visibleWidth(l); lw > w {
				t.Fatalf("seed %d step %d (%T %v): line %d is %d wide at width %d:\n%s", seed, i, msg, msg, j, lw, w, m.render())
			}
		}
	}
}

func TestDialogsOnTinyScreens(t *testing.T) {
	for _, keys := range [][]string{{"D"}, {"D", "v"}, {":"}, {"?"}, {"j", "j", "i"}} {
		for _, size := range [][2]int{{12, 6}, {30, 8}, {50, 12}} {
			hs := shopScreen(t, size[0], size[1])
			hs.keys(keys...)
			for i, l := range strings.Split(hs.m.render(), "\n") {
				if w := visibleWidth(l); w > size[0] {
					t.Errorf("%v at %v: line %d is %d wide", keys, size, i, w)
				}
			}
		}
	}
}
