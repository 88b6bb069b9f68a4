package tui

import (
	"context"
	"errors"
	"fmt"
	"runtime/debug"

	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"
)

// screenFPS is the most frames a second the screen draws. Bubble Tea
// wakes at this rate whether or not anything changed, and on a small VM a
// bare 30 Hz ticker costs a Go process 0.55 % of a core (10 Hz: 0.15 %),
// over half the idle budget of 1 %; at 15 a key's frame still follows the
// key within 67 ms (33 on average), under the 100 ms a user perceives as
// instant, and holding a key still scrolls smoothly.
const screenFPS = 15

// Run shows the screen until the user quits or ctx ends. The terminal is
// restored in every case: Bubble Tea restores it on a panic in the model or
// a command and returns an error; a panic outside its loop is recovered
// here, after the program is killed (which restores the terminal), and
// returned as an error with its stack.
func Run(ctx context.Context, b Backend, opts Options) error {
	return runProgram(ctx, b, opts)
}

// runProgram is Run with extra program options (tests give it a pipe for
// input and a buffer for output).
func runProgram(ctx context.Context, b Backend, opts Options, extra ...tea.ProgramOption) (err error) {
	m := newModel(ctx, b, opts)
	defer m.cancel()
	// The colour profile lipgloss detected for stdout at start-up is the
	// program's too: detecting it again runs `tmux info` inside tmux,
	// 30-60 ms before the first frame.
	base := []tea.ProgramOption{tea.WithContext(ctx), tea.WithFPS(screenFPS), tea.WithColorProfile(lipgloss.Writer.Profile)}
	p := tea.NewProgram(m, append(base, extra...)...)
	defer func() {
		if r := recover(); r != nil {
			p.Kill()
			err = fmt.Errorf("devstack screen panicked: %v\n%s", r, debug.Stack())
		}
	}()
	_, err = p.Run()
	switch {
	case err == nil, errors.Is(err, tea.ErrInterrupted), errors.Is(err, context.Canceled) && ctx.Err() != nil:
		// Quitting, an interrupt and the caller's cancel are normal ends.
		return nil
	case errors.Is(err, tea.ErrProgramPanic):
		return fmt.Errorf("devstack screen crashed (terminal restored): %w", err)
	}
	return fmt.Errorf("run screen: %w", err)
}
