package tui

import (
	"context"
	"fmt"

	tea "charm.land/bubbletea/v2"

	"github.com/devstack/devstack/stack"
)

// PullWatcher is an optional Backend capability, checked at run time: the
// steps of an up running behind the screen (image pulls with their bytes,
// builds, warnings, and its error), so a row shows `pulling 43% 12.1/28.0 MB` while
// its image comes, and the reason when the pull fails. The channel closes
// when the up ends.
type PullWatcher interface {
	Pulls(ctx context.Context) <-chan []stack.Progress
}

// pullState is what a service's row shows about its image's pull.
type pullState struct {
	text   string
	failed bool
}

// pullMsg is one batch of up steps from a PullWatcher.
type pullMsg struct {
	ch    <-chan []stack.Progress
	items []stack.Progress
}

func readPulls(ch <-chan []stack.Progress) tea.Cmd {
	return func() tea.Msg {
		items, ok := <-ch
		if !ok {
			return nil
		}
		return pullMsg{ch: ch, items: items}
	}
}

// applyPulls folds a batch into the rows' pull states and the status line,
// and reads the next batch.
func (m *model) applyPulls(msg pullMsg) tea.Cmd {
	for _, p := range msg.items {
		if p.Pull == nil {
			switch p.Kind {
			case stack.ProgressError, stack.ProgressWarning:
				m.setStatus(p.Text, false)
			case stack.ProgressBuilding, stack.ProgressBuilt:
				m.setStatus(string(p.Kind)+" "+p.Subject, true)
			}
			continue
		}
		st, keep := pullText(p)
		for _, svc := range p.Pull.Services {
			if keep {
				m.pulls[svc] = st
			} else {
				delete(m.pulls, svc)
			}
		}
		if st.failed {
			m.setStatus(p.Text, false)
		}
	}
	m.refreshRows()
	return readPulls(msg.ch)
}

// pullText is a row's pull state for a step; keep is false once the image
// is there (the row shows its container again).
func pullText(p stack.Progress) (pullState, bool) {
	st := p.Pull
	switch p.Kind {
	case stack.ProgressPulled, stack.ProgressSkipped:
		return pullState{}, false
	case stack.ProgressError, stack.ProgressWarning:
		return pullState{text: "pull failed: " + p.Text, failed: true}, true
	}
	if st.Total == 0 {
		return pullState{text: fmt.Sprintf("pulling %d/%d layers", st.LayersDone(), len(st.Layers))}, true
	}
	return pullState{text: fmt.Sprintf("pulling %d%% %s", st.Percent(), mbOf(st.Current, st.Total))}, true
}

// mbOf is `12.1/28.0 MB`.
func mbOf(cur, total int64) string {
	if total < 1e6 {
		return fmt.Sprintf("%.1f/%.1f kB", float64(cur)/1e3, float64(total)/1e3)
	}
	return fmt.Sprintf("%.1f/%.1f MB", float64(cur)/1e6, float64(total)/1e6)
}

func pullKind(s pullState) stateKind {
	if s.failed {
		return kindErr
	}
	return kindWarn
}
