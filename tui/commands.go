package tui

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/devstack/devstack/stack"
)

// Commands capture values (never the model) and do I/O only through the
// Backend or the functions injected in Options.

func reload(ctx context.Context, b Backend) tea.Cmd {
	return func() tea.Msg {
		p, err := b.Reload(ctx)
		return projectMsg{p: p, err: err}
	}
}

func subscribeEvents(ctx context.Context, b Backend, project string) tea.Cmd {
	return func() tea.Msg { return eventsSubscribedMsg{ch: b.Events(ctx, project)} }
}

func subscribeStats(ctx context.Context, b Backend, project string, every time.Duration) tea.Cmd {
	return func() tea.Msg { return statsSubscribedMsg{ch: b.Stats(ctx, project, every)} }
}

func subscribeLogs(ctx context.Context, b Backend, project string, req LogsRequest) tea.Cmd {
	return func() tea.Msg {
		ch, err := b.Logs(ctx, project, req)
		return logsSubscribedMsg{ch: ch, err: err}
	}
}

// The pumps read one batch and are issued again after each message, so a
// stream never has more than one reader and nothing is read while the
// event loop is blocked (a shell is open).

func readEvents(ch <-chan []stack.Event) tea.Cmd {
	return func() tea.Msg {
		batch, ok := <-ch
		if !ok {
			return streamClosedMsg{stream: streamEvents}
		}
		return eventsMsg{ch: ch, batch: batch}
	}
}

func readStats(ch <-chan []stack.Stats) tea.Cmd {
	return func() tea.Msg {
		batch, ok := <-ch
		if !ok {
			return streamClosedMsg{stream: streamStats}
		}
		return statsMsg{ch: ch, batch: batch}
	}
}

func readLogs(ch <-chan []stack.LogLine) tea.Cmd {
	return func() tea.Msg {
		batch, ok := <-ch
		if !ok {
			return streamClosedMsg{stream: streamLogs}
		}
		return logsMsg{ch: ch, batch: batch}
	}
}

func readProject(ch <-chan ProjectReload) tea.Cmd {
	return func() tea.Msg {
		r, ok := <-ch
		if !ok {
			return nil
		}
		return projectWatchMsg{ch: ch, reload: r}
	}
}

func readProgress(q *progressQueue) tea.Cmd {
	return func() tea.Msg {
		items, ok := q.take()
		if !ok {
			return nil
		}
		return buildProgressMsg{q: q, items: items}
	}
}

// resubscribeAfter asks for a stream again after a pause (the engine may be
// restarting).
func resubscribeAfter(d time.Duration, s streamKind) tea.Cmd {
	return tea.Tick(d, func(time.Time) tea.Msg { return resubscribeMsg{stream: s} })
}

func tick() tea.Cmd {
	return tea.Tick(time.Second, func(t time.Time) tea.Msg { return tickMsg(t) })
}

func listContainers(ctx context.Context, b Backend, project string) tea.Cmd {
	return func() tea.Msg {
		list, err := b.Ps(ctx, project)
		return containersMsg{list: list, err: err}
	}
}

func inspectContainer(ctx context.Context, b Backend, id string) tea.Cmd {
	return func() tea.Msg {
		c, err := b.Inspect(ctx, id)
		return containerMsg{id: id, c: c, err: err}
	}
}

// lifecycle runs restart, stop, start or recreate on one service. Recreate
// reloads the compose file first so it uses what is on disk now.
func lifecycle(ctx context.Context, b Backend, p *stack.Project, verb, svc string, now func() time.Time) tea.Cmd {
	return func() tea.Msg {
		start := now()
		var err error
		switch verb {
		case "restart":
			err = b.Restart(ctx, p, svc)
		case "stop":
			err = b.Stop(ctx, p, svc)
		case "start":
			err = b.Start(ctx, p, svc)
		case "recreate":
			if p, err = b.Reload(ctx); err == nil {
				err = b.Recreate(ctx, p, svc)
			}
		}
		return actionDoneMsg{verb: verb, service: svc, took: now().Sub(start), err: err}
	}
}

func downStack(ctx context.Context, b Backend, project string, p *stack.Project, volumes bool, now func() time.Time) tea.Cmd {
	return func() tea.Msg {
		start := now()
		err := b.Down(ctx, project, p, volumes)
		verb := "down"
		if volumes {
			verb = "down -v"
		}
		return actionDoneMsg{verb: verb, service: project, took: now().Sub(start), err: err}
	}
}

func loadStages(b Backend, p *stack.Project, svc string) tea.Cmd {
	return func() tea.Msg {
		stages, err := b.Stages(p, svc)
		return stagesMsg{service: svc, stages: stages, target: b.ConfiguredTarget(p, svc), err: err}
	}
}

// rebuild reloads the project, builds one service at a target, recreates
// only that service and measures the new image.
func rebuild(ctx context.Context, b Backend, svc, target string, q *progressQueue, now func() time.Time) tea.Cmd {
	return func() tea.Msg {
		defer q.close()
		start := now()
		done := func(size int64, err error) tea.Msg {
			return rebuildDoneMsg{q: q, service: svc, target: target, took: now().Sub(start), size: size, err: err}
		}
		p, err := b.Reload(ctx)
		if err != nil {
			return done(0, err)
		}
		if err := b.Build(ctx, p, svc, target, q.push); err != nil {
			return done(0, err)
		}
		q.push(stack.Progress{Kind: stack.ProgressRecreating, Service: svc, Subject: svc})
		if err := b.Recreate(ctx, p, svc); err != nil {
			return done(0, err)
		}
		var size int64
		if s, ok := p.Service(svc); ok {
			if info, err := b.ImageInfo(ctx, s.Image); err == nil {
				size = info.Size
			}
		}
		return done(size, nil)
	}
}

// shell hands the terminal to a shell in the container.
func shell(ctx context.Context, b Backend, svc, containerID string, req ExecRequest) tea.Cmd {
	sc := newShellCommand(ctx, b, containerID, req)
	return tea.Exec(sc, func(err error) tea.Msg {
		return execDoneMsg{service: svc, code: sc.code, err: err}
	})
}

func imageSize(ctx context.Context, b Backend, ref string) tea.Cmd {
	return func() tea.Msg {
		info, err := b.ImageInfo(ctx, ref)
		return imageMsg{ref: ref, size: info.Size, err: err}
	}
}

func openInBrowser(open func(string) error, url string) tea.Cmd {
	return func() tea.Msg { return openedMsg{url: url, err: open(url)} }
}

func saveLines(write func(string, []byte) error, dir, name string, lines []string) tea.Cmd {
	return func() tea.Msg {
		path := filepath.Join(dir, name)
		err := write(path, []byte(strings.Join(lines, "\n")+"\n"))
		if err != nil {
			err = fmt.Errorf("save log %s: %w", path, err)
		}
		return savedMsg{path: path, lines: len(lines), err: err}
	}
}
