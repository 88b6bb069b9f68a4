package stack

import (
	"context"
	"fmt"
	"io"
	"time"

	"github.com/compose-spec/compose-go/v2/types"
	cerrdefs "github.com/containerd/errdefs"
	"github.com/moby/moby/api/pkg/stdcopy"
	"github.com/moby/moby/api/types/container"
	"github.com/moby/moby/client"
)

// attachRun attaches to the one-off container, starts it, copies the
// streams (resizing its terminal as asked) and returns its exit code once
// it ends. When ctx ends first the container is stopped.
func (e *Engine) attachRun(ctx context.Context, id, name string, sc types.ServiceConfig, opts RunOptions) (int, error) {
	withStdin := opts.Interactive && opts.Stdin != nil
	att, err := e.api.ContainerAttach(ctx, id, client.ContainerAttachOptions{Stream: true, Stdin: withStdin, Stdout: true, Stderr: true})
	if err != nil {
		return -1, fmt.Errorf("attach: %w", err)
	}
	defer att.Close()
	// Wait is registered before the start, so a command that ends at once
	// is not missed; with --rm the engine removes it itself (AutoRemove).
	cond := container.WaitConditionNextExit
	if opts.Remove {
		cond = container.WaitConditionRemoved
	}
	waitCtx, stopWait := context.WithCancel(context.WithoutCancel(ctx))
	defer stopWait()
	wait := e.api.ContainerWait(waitCtx, id, client.ContainerWaitOptions{Condition: cond})

	outDone := make(chan error, 1)
	go func() { outDone <- copyAttached(att.Reader, opts) }()
	if _, err := e.api.ContainerStart(ctx, id, client.ContainerStartOptions{}); err != nil {
		return -1, fmt.Errorf("start: %w", err)
	}
	done := make(chan struct{})
	defer close(done)
	if opts.TTY {
		e.resizeContainer(ctx, id, opts.Size)
		go func() {
			for {
				select {
				case size, ok := <-opts.Resize:
					if !ok {
						return
					}
					e.resizeContainer(ctx, id, size)
				case <-done:
					return
				}
			}
		}()
	}
	if withStdin {
		go copyStdin(att.HijackedResponse, opts.Stdin, !opts.TTY)
	}
	hookErr := make(chan error, 1)
	go func() { hookErr <- e.postStart(ctx, observed{ID: id, Name: name}, sc, opts.Progress) }()

	select {
	case <-ctx.Done():
		if !opts.Remove { // with --rm, the removal kills it
			stopCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 15*time.Second)
			defer cancel()
			_, _ = e.api.ContainerStop(stopCtx, id, client.ContainerStopOptions{})
		}
		cancelStdin(opts.Stdin)
		return 130, ctx.Err()
	case err := <-wait.Error:
		cancelStdin(opts.Stdin)
		return -1, fmt.Errorf("wait: %w", err)
	case res := <-wait.Result:
		// The output ends with the container; give it a moment to drain.
		select {
		case <-outDone:
		case <-time.After(2 * time.Second):
		}
		cancelStdin(opts.Stdin)
		if res.Error != nil && res.Error.Message != "" {
			return int(res.StatusCode), fmt.Errorf("wait: %s", res.Error.Message)
		}
		// The command's exit code is the run's result; a failed post_start
		// hook is reported beside it (a command quicker than its hook
		// leaves the hook no container to run in, which is no failure).
		if err := <-hookErr; err != nil && !cerrdefs.IsConflict(err) && !cerrdefs.IsNotFound(err) {
			opts.Progress.report(Progress{Kind: ProgressWarning, Service: sc.Name, Subject: name, Text: err.Error()})
		}
		return int(res.StatusCode), nil
	}
}

// copyAttached copies the container's output: raw with a terminal,
// demultiplexed without.
func copyAttached(r io.Reader, opts RunOptions) error {
	stdout, stderr := opts.Stdout, opts.Stderr
	if stdout == nil {
		stdout = io.Discard
	}
	if stderr == nil {
		stderr = io.Discard
	}
	if opts.TTY {
		_, err := io.Copy(stdout, r)
		return err
	}
	_, err := stdcopy.StdCopy(stdout, stderr, r)
	return err
}

func cancelStdin(r io.Reader) {
	if c, ok := r.(stdinCanceler); ok {
		c.Cancel()
	}
}

// resizeContainer sets the container's terminal size, retrying briefly
// while the engine has not started the process yet.
func (e *Engine) resizeContainer(ctx context.Context, id string, size TermSize) {
	if size.Rows == 0 || size.Cols == 0 {
		return
	}
	for try := 1; try <= 10; try++ {
		_, err := e.api.ContainerResize(ctx, id, client.ContainerResizeOptions{Height: size.Rows, Width: size.Cols})
		if err == nil || !sleepCtx(ctx, time.Duration(try)*10*time.Millisecond) {
			return
		}
	}
}
