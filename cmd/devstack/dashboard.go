package main

import (
	"context"
	"fmt"
	"os"

	"github.com/charmbracelet/x/term"

	"github.com/devstack/devstack/stack"
	"github.com/devstack/devstack/tui"
)

// runDashboard attaches the screen to the running stack without changing it.
// With -p the name is known: the screen lists the containers while the
// compose file loads (errors in it show on screen), which brings the first
// screen with live state sooner.
func runDashboard(ctx context.Context, g *globals) error {
	if g.project != "" {
		e, err := g.connect(ctx)
		if err != nil {
			return err
		}
		defer e.Close()
		return runScreen(ctx, g, e, nil, g.project)
	}
	p, name, e, err := g.open(ctx, false)
	if err != nil {
		return err
	}
	defer e.Close()
	return runScreen(ctx, g, e, p, name)
}

// isTerminal reports whether stdin and stdout are a terminal.
func isTerminal() bool {
	return term.IsTerminal(os.Stdin.Fd()) && term.IsTerminal(os.Stdout.Fd())
}

// runScreen opens the TUI on a stack.Session over the engine and project
// (p may be nil: attached by name).
func runScreen(ctx context.Context, g *globals, e *stack.Engine, p *stack.Project, name string) error {
	return runScreenOn(ctx, g, e, p, name, nil)
}

// runScreenOn is runScreen with wrap, when set, adding capabilities to the
// session (the pulls of an up running behind the screen).
func runScreenOn(ctx context.Context, g *globals, e *stack.Engine, p *stack.Project, name string, wrap func(*screenBackend) tui.Backend) error {
	if !isTerminal() {
		return fmt.Errorf("the dashboard needs a terminal; use `devstack up -d`, `devstack ps` or `devstack logs -f`")
	}
	path, err := tui.DefaultConfigPath()
	if err != nil {
		return err
	}
	cfg, err := tui.LoadConfig(path)
	if err != nil {
		return err
	}
	load := g.loadOptions(nil)
	if load.ProjectName == "" {
		load.ProjectName = name
	}
	s := &screenBackend{Session: stack.NewSession(e, load, p), e: e}
	var b tui.Backend = s
	if wrap != nil {
		b = wrap(s)
	}
	opts := cfg.Options(tui.Options{ProjectName: s.Name(), Project: p, NoColor: g.noColor, Watch: g.watch})
	return tui.Run(ctx, b, opts)
}
