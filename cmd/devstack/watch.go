package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"sync"

	"github.com/spf13/cobra"

	"github.com/devstack/devstack/stack"
)

type watchFlags struct {
	noUp bool
}

func newWatchCmd(g *globals) *cobra.Command {
	var f watchFlags
	cmd := &cobra.Command{
		Use:   "watch [flags] [SERVICE...]",
		Short: "Up the services, then sync, restart or rebuild them as their develop.watch files change",
		RunE: func(cmd *cobra.Command, services []string) error {
			return runWatch(cmd.Context(), g, f, services)
		},
	}
	cmd.Flags().BoolVar(&f.noUp, "no-up", false, "don't build and start the services before watching")
	return cmd
}

func runWatch(ctx context.Context, g *globals, f watchFlags, services []string) error {
	p, e, err := g.loadAndConnect(ctx, services)
	if err != nil {
		return err
	}
	defer e.Close()
	pp := newProgressPrinter(g, g.stderr)
	if !f.noUp {
		if err := e.Up(ctx, p, stack.UpOptions{Services: services, Progress: pp.report}); err != nil {
			return err
		}
	}
	return watchPrinting(ctx, g, e, p, services, pp)
}

// watchPrinting watches until ctx ends, printing each event as a line of
// its service.
func watchPrinting(ctx context.Context, g *globals, e *stack.Engine, p *stack.Project, services []string, pp *progressPrinter) error {
	wp := &watchPrinter{w: g.stdout, color: useColor(g, g.stdout)}
	err := e.Watch(ctx, p, stack.WatchOptions{Services: services, OnEvent: wp.print, Progress: pp.report})
	if errors.Is(err, context.Canceled) {
		return nil
	}
	return err
}

// watchPrinter writes watch events as `web  ⇄ synced 3 files (12 KiB) in 38 ms`.
type watchPrinter struct {
	mu    sync.Mutex
	w     io.Writer
	color bool
}

func (wp *watchPrinter) print(ev stack.WatchEvent) {
	wp.mu.Lock()
	defer wp.mu.Unlock()
	glyph, color := watchGlyph(ev)
	who := ev.Service
	if who == "" {
		who = "watch"
	}
	line := glyph + " " + ev.String()
	if wp.color {
		line = fmt.Sprintf("\x1b[%dm%s\x1b[0m", color, line)
	}
	fmt.Fprintf(wp.w, "%-12s %s\n", who, line)
	for _, out := range ev.Output {
		fmt.Fprintf(wp.w, "%-12s   | %s\n", who, out)
	}
}

// watchGlyph picks the mark and ANSI colour of an event: red on failure.
func watchGlyph(ev stack.WatchEvent) (string, int) {
	if ev.Err != nil {
		return "✘", 31
	}
	switch ev.Action {
	case stack.WatchSynced:
		return "⇄", 36
	case stack.WatchRebuilt:
		return "↻", 35
	case stack.WatchRestarted:
		return "⟳", 34
	case stack.WatchExecuted:
		return "▶", 34
	case stack.WatchWarning:
		return "!", 33
	}
	return "◉", 32
}

// DevWatch runs stack's Watch for the dashboard (tui.DevWatcher). Events
// are queued, never blocking the watch while the screen is busy (a shell
// holds Bubble Tea's loop), and handed over in batches.
func (b *screenBackend) DevWatch(ctx context.Context, p *stack.Project) <-chan []stack.WatchEvent {
	out := make(chan []stack.WatchEvent)
	var mu sync.Mutex
	var pending []stack.WatchEvent
	wake := make(chan struct{}, 1)
	push := func(ev stack.WatchEvent) {
		mu.Lock()
		pending = append(pending, ev)
		mu.Unlock()
		select {
		case wake <- struct{}{}:
		default:
		}
	}
	done := make(chan struct{})
	go func() {
		defer close(done)
		err := b.e.Watch(ctx, p, stack.WatchOptions{OnEvent: push})
		if err != nil && ctx.Err() == nil {
			push(stack.WatchEvent{Action: stack.WatchWarning, Err: err})
		}
	}()
	go func() {
		defer close(out)
		for {
			stopped := false
			select {
			case <-wake:
			case <-done:
				stopped = true
			}
			mu.Lock()
			batch := pending
			pending = nil
			mu.Unlock()
			if len(batch) > 0 {
				select {
				case out <- batch:
				case <-ctx.Done():
					return
				}
			}
			if stopped {
				return
			}
		}
	}()
	return out
}

// checkUpWatch refuses the flag combinations compose refuses with --watch.
func checkUpWatch(f upFlags) error {
	switch {
	case f.watch && f.detach:
		return fmt.Errorf("up: --detach cannot be combined with --watch (watching needs devstack to keep running)")
	case f.watch && f.noBuild:
		return fmt.Errorf("up: --no-build and --watch are incompatible")
	}
	return nil
}

// followAndWatch follows the logs and watches at once, as `docker compose
// up --watch` does without a terminal; it ends with ctx or the watch's
// setup error.
func followAndWatch(ctx context.Context, g *globals, e *stack.Engine, p *stack.Project, services []string, pp *progressPrinter) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	logsDone := make(chan error, 1)
	go func() {
		logsDone <- followLogs(ctx, e, p.Name, stack.LogsOptions{Services: services, Follow: true}, newLogPrinter(g, false, false))
	}()
	err := watchPrinting(ctx, g, e, p, services, pp)
	cancel()
	if lerr := <-logsDone; err == nil && lerr != nil && !errors.Is(lerr, context.Canceled) {
		err = lerr
	}
	return err
}
