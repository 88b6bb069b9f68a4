package stack

import (
	"context"
	"fmt"
	"io"
	"time"

	"github.com/moby/moby/client"
)

// AttachOptions connect the caller's streams to a service's container,
// like `docker compose attach`.
type AttachOptions struct {
	// Index is the container number (0: the lowest-numbered running one).
	Index int
	// DetachKeys override the engine's detach sequence (ctrl-p,ctrl-q).
	DetachKeys string
	// Stdin feeds the container's main process; nil attaches none.
	Stdin io.Reader
	// Stdout and Stderr receive its output; nil discards it.
	Stdout, Stderr io.Writer
	// Terminal is called once the container is found, with whether it
	// has a TTY, before any byte flows: the caller puts its terminal in
	// raw mode there and returns its sizes and how to restore it. nil:
	// no terminal handling.
	Terminal func(tty bool) (sizes <-chan TermSize, restore func(), err error)
}

// Attach connects to the main process of a service's running container
// until it ends or the user detaches, and returns the container's exit
// code (0 when detached while it runs). p may be nil.
func (e *Engine) Attach(ctx context.Context, project string, p *Project, service string, opts AttachOptions) (int, error) {
	code, err := e.attach(ctx, project, p, service, opts)
	if err != nil {
		return -1, fmt.Errorf("attach %s: %w", service, err)
	}
	return code, nil
}

func (e *Engine) attach(ctx context.Context, project string, p *Project, service string, opts AttachOptions) (int, error) {
	c, err := e.serviceTarget(ctx, project, p, service, opts.Index, false)
	if err != nil {
		return -1, err
	}
	info, err := e.api.ContainerInspect(ctx, c.ID, client.ContainerInspectOptions{})
	if err != nil {
		return -1, fmt.Errorf("inspect %s: %w", containerName(c), err)
	}
	tty := info.Container.Config != nil && info.Container.Config.Tty
	att, err := e.api.ContainerAttach(ctx, c.ID, client.ContainerAttachOptions{Stream: true, Stdin: opts.Stdin != nil,
		Stdout: true, Stderr: true, DetachKeys: opts.DetachKeys})
	if err != nil {
		return -1, fmt.Errorf("%s: %w", containerName(c), err)
	}
	defer att.Close()
	stopOnCancel := context.AfterFunc(ctx, att.Close)
	defer stopOnCancel()
	if opts.Terminal != nil {
		sizes, restore, err := opts.Terminal(tty)
		if err != nil {
			return -1, err
		}
		defer restore()
		if tty && sizes != nil {
			rctx, stopResizes := context.WithCancel(ctx)
			defer stopResizes()
			go e.followContainerResizes(rctx, c.ID, sizes)
		}
	}
	if opts.Stdin != nil {
		// The write side stays open at the input's end: the container's
		// stdin outlives one attach (compose sets no StdinOnce), and the
		// engine ends the whole session, output included, on a half-close,
		// losing what the process writes afterwards.
		go copyStdin(att.HijackedResponse, opts.Stdin, false)
	}
	err = copyExecOutput(att.Reader, ExecOptions{TTY: tty, Stdout: opts.Stdout, Stderr: opts.Stderr})
	if c, ok := opts.Stdin.(stdinCanceler); ok {
		c.Cancel()
	}
	if ctx.Err() != nil {
		return -1, ctx.Err()
	}
	if err != nil {
		return -1, err
	}
	return e.attachedExitCode(ctx, c.ID)
}

// attachedExitCode is the container's exit code once the stream ended, or
// 0 when it still runs (the user detached). The engine may report the
// process as running for a moment after its output ended.
func (e *Engine) attachedExitCode(ctx context.Context, id string) (int, error) {
	for wait := 10 * time.Millisecond; ; wait *= 2 {
		res, err := e.api.ContainerInspect(ctx, id, client.ContainerInspectOptions{})
		if err != nil {
			return -1, err
		}
		if s := res.Container.State; s != nil && !s.Running {
			return s.ExitCode, nil
		}
		if wait > time.Second || !sleepCtx(ctx, wait) {
			return 0, nil
		}
	}
}

// followContainerResizes passes terminal sizes on until the channel closes
// or ctx ends.
func (e *Engine) followContainerResizes(ctx context.Context, id string, sizes <-chan TermSize) {
	for {
		select {
		case s, ok := <-sizes:
			if !ok {
				return
			}
			if s.Rows > 0 && s.Cols > 0 {
				_, _ = e.api.ContainerResize(ctx, id, client.ContainerResizeOptions{Height: s.Rows, Width: s.Cols})
			}
		case <-ctx.Done():
			return
		}
	}
}
