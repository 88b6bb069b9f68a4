package stack

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/moby/moby/client"
)

const (
	logFlushEvery = 50 * time.Millisecond
	logBatchSize  = 1000
)

// LogsOptions select which lines of which containers a logs stream carries.
type LogsOptions struct {
	// Services limits the stream to these services; empty means all.
	Services []string
	// Follow keeps the stream open for new lines, and for containers that
	// start later (a recreate, a restart, a scale up).
	Follow bool
	// Tail is how many of the last lines of each container to start with:
	// -1 for all of them, 0 for none (only new lines).
	Tail int
	// Since drops lines written before this time; zero keeps them all.
	Since time.Time
	// OneOff also follows the one-off containers (those of `run`), which
	// `docker compose logs` leaves out; their lines have LogLine.OneOff set.
	OneOff bool
}

// logTarget is what a follower needs to know about its container.
type logTarget struct {
	id, name, service string
	number            int
	oneOff, tty       bool
}

// containerLogs streams one container's lines in batches. The container is
// looked up and its log stream opened before containerLogs returns, so an
// unknown container or a logging driver that cannot be read is an error.
// The channel closes when the lines end (when the container stops, with
// Follow) or when ctx ends. opts.Services is ignored.
func (e *Engine) containerLogs(ctx context.Context, containerID string, opts LogsOptions) (<-chan []LogLine, error) {
	t, err := e.logTarget(ctx, containerID)
	if err != nil {
		return nil, fmt.Errorf("logs %s: %w", containerID, err)
	}
	body, err := e.openLogs(ctx, t, opts.Follow, opts.Tail, opts.Since)
	if err != nil {
		return nil, fmt.Errorf("logs %s: %w", t.name, err)
	}
	b := newBatcher[LogLine](ctx, logFlushEvery, logBatchSize, true)
	go func() {
		defer b.close()
		defer body.Close()
		copyLogs(body, t, b.add)
	}()
	return b.out, nil
}

// lastLogs returns the last n lines a container wrote, oldest first, for
// messages that explain why a container failed.
func (e *Engine) lastLogs(ctx context.Context, containerID string, n int) ([]string, error) {
	t, err := e.logTarget(ctx, containerID)
	if err != nil {
		return nil, fmt.Errorf("logs %s: %w", containerID, err)
	}
	body, err := e.openLogs(ctx, t, false, n, time.Time{})
	if err != nil {
		return nil, fmt.Errorf("logs %s: %w", t.name, err)
	}
	defer body.Close()
	lines := make([]string, 0, n)
	_, err = copyLogs(body, t, func(l LogLine) bool {
		lines = append(lines, l.Text)
		return true
	})
	if err != nil {
		return lines, fmt.Errorf("logs %s: %w", t.name, err)
	}
	return lines, nil
}

func (e *Engine) logTarget(ctx context.Context, id string) (logTarget, error) {
	res, err := e.api.ContainerInspect(ctx, id, client.ContainerInspectOptions{})
	if err != nil {
		return logTarget{}, err
	}
	c := res.Container
	t := logTarget{id: c.ID, name: strings.TrimPrefix(c.Name, "/")}
	if c.Config != nil {
		t.service = c.Config.Labels[labelService]
		t.number, _ = strconv.Atoi(c.Config.Labels[labelNumber])
		t.oneOff = c.Config.Labels[labelOneOff] == "True"
		t.tty = c.Config.Tty
	}
	return t, nil
}

// openLogs asks the engine for a container's log stream, always with
// timestamps: they cost nothing and the lines need their times.
func (e *Engine) openLogs(ctx context.Context, t logTarget, follow bool, tail int, since time.Time) (io.ReadCloser, error) {
	opts := client.ContainerLogsOptions{
		ShowStdout: true,
		ShowStderr: true,
		Timestamps: true,
		Follow:     follow,
		Tail:       "all",
	}
	if tail >= 0 {
		opts.Tail = strconv.Itoa(tail)
	}
	if !since.IsZero() {
		opts.Since = unixNanoString(since)
	}
	return e.api.ContainerLogs(ctx, t.id, opts)
}

// copyLogs reads a log stream to its end, handing each line to emit. It
// returns the time of the last line, where a later follower resumes.
func copyLogs(r io.Reader, t logTarget, emit func(LogLine) bool) (time.Time, error) {
	base := LogLine{Service: t.service, ContainerID: t.id, ContainerName: t.name, Number: t.number, Stream: Stdout, OneOff: t.oneOff}
	out := &logSplitter{base: base, emit: emit}
	var err error
	if t.tty {
		// A TTY merges stderr into stdout and the stream is not multiplexed.
		err = out.splitRaw(r)
		out.end()
		return out.last, ignoreStopped(err)
	}
	base.Stream = Stderr
	errs := &logSplitter{base: base, emit: emit}
	err = splitFrames(r, out, errs)
	out.end()
	errs.end()
	return later(out.last, errs.last), ignoreStopped(err)
}

func ignoreStopped(err error) error {
	if errors.Is(err, errStopped) || errors.Is(err, context.Canceled) {
		return nil
	}
	return err
}

func later(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}
