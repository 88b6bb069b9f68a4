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

func subscribeEvents(ctx context.Context, b Backend) tea.Cmd {
	return func() tea.Msg { return eventsSubscribedMsg{ch: b.Events(ctx)} }
}

func subscribeStats(ctx context.Context, b Backend, every time.Duration) tea.Cmd {
	return func() tea.Msg { return statsSubscribedMsg{ch: b.Stats(ctx, every)} }
}

func subscribeLogs(ctx context.Context, b Backend, opts stack.LogsOptions) tea.Cmd {
	return func() tea.Msg {
		ch, err := b.Logs(ctx, opts)
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

// logPaceBelow: a log batch smaller than this is not followed by the next
// read at once; the stream waits until the next stats sample or tick (about
// a second), so services that print a line now and then cost no frame of
// their own. A bigger batch (a flood) is followed at once, so the screen
// keeps up with what the engine delivers.
const logPaceBelow = 256

func readLogs(ch <-chan []stack.LogLine) tea.Cmd {
	return func() tea.Msg {
		batch, ok := <-ch
		if !ok {
			return streamClosedMsg{stream: streamLogs}
		}
		return logsMsg{ch: ch, batch: batch}
	}
}

func readProject(ch <-chan stack.ProjectReload) tea.Cmd {
	return func() tea.Msg {
		r, ok := <-ch
		if !ok {
			return nil
		}
		return projectWatchMsg{ch: ch, reload: r}
	}
}

// readRebuild reads one batch of a rebuild's progress; once the stream has
// closed it reports the outcome, with the new image's size.
func readRebuild(ctx context.Context, b Backend, r rebuildStartedMsg, image string, now func() time.Time) tea.Cmd {
	return func() tea.Msg {
		items, ok := <-r.op.Progress()
		if ok {
			return buildProgressMsg{op: r.op, items: items}
		}
		done := rebuildDoneMsg{op: r.op, service: r.service, target: r.target, err: r.op.Wait()}
		if done.err == nil && image != "" {
			if info, err := b.ImageInfo(ctx, image); err == nil {
				done.size = info.Size
			}
		}
		done.took = now().Sub(r.started)
		return done
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

func listContainers(ctx context.Context, b Backend) tea.Cmd {
	return func() tea.Msg {
		list, err := b.Ps(ctx)
		return containersMsg{list: list, err: err}
	}
}

// listQuick asks for the list without inspections, for the first screen.
func listQuick(ctx context.Context, b Backend) tea.Cmd {
	return func() tea.Msg {
		list, err := b.List(ctx)
		return containersMsg{list: list, err: err, listed: true}
	}
}

func inspectContainer(ctx context.Context, b Backend, id string) tea.Cmd {
	return func() tea.Msg {
		c, err := b.Inspect(ctx, id)
		return containerMsg{id: id, c: c, err: err}
	}
}

// lifecycle runs restart, stop, start or recreate on one service.
func lifecycle(ctx context.Context, b Backend, a action, svc string, now func() time.Time) tea.Cmd {
	verbs := map[action]func(context.Context, string) error{
		actRestart: b.Restart, actStop: b.Stop, actStart: b.Start, actRecreate: b.Recreate,
	}
	return func() tea.Msg {
		start := now()
		err := verbs[a](ctx, svc)
		return actionDoneMsg{verb: string(a), service: svc, took: now().Sub(start), err: err}
	}
}

// containerVerb stops or removes one container by ID (a one-off); key is
// the row's busy entry the result clears.
func containerVerb(ctx context.Context, b Backend, a action, id, key string, now func() time.Time) tea.Cmd {
	verb := b.StopContainer
	if a == actRemove {
		verb = b.RemoveContainer
	}
	return func() tea.Msg {
		start := now()
		err := verb(ctx, id)
		return actionDoneMsg{verb: string(a), service: key, took: now().Sub(start), err: err}
	}
}

func downStack(ctx context.Context, b Backend, project string, volumes bool, now func() time.Time) tea.Cmd {
	return func() tea.Msg {
		start := now()
		err := b.Down(ctx, volumes)
		verb := "down"
		if volumes {
			verb = "down -v"
		}
		return actionDoneMsg{verb: verb, service: project, took: now().Sub(start), err: err}
	}
}

// downVolumes asks which volumes a down -v would delete, for the
// confirmation to name them.
func downVolumes(ctx context.Context, b Backend) tea.Cmd {
	return func() tea.Msg {
		names, err := b.DownVolumes(ctx)
		return downVolumesMsg{names: names, err: err}
	}
}

func loadStages(ctx context.Context, b Backend, svc, target string) tea.Cmd {
	return func() tea.Msg {
		stages, err := b.Stages(ctx, svc)
		return stagesMsg{service: svc, stages: stages, target: target, err: err}
	}
}

// rebuild starts a rebuild; its progress is read by readRebuild.
func rebuild(ctx context.Context, b Backend, svc, target string, now func() time.Time) tea.Cmd {
	return func() tea.Msg {
		start := now()
		return rebuildStartedMsg{op: b.Rebuild(ctx, svc, target), service: svc, target: target, started: start}
	}
}

// shell hands the terminal to a shell in the container.
func shell(ctx context.Context, b Backend, svc, containerID string, req stack.ExecOptions) tea.Cmd {
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
