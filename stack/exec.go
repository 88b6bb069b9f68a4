package stack

import (
	"context"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/moby/moby/api/pkg/stdcopy"
	"github.com/moby/moby/client"
)

// defaultShell picks bash when the image has it, else sh, in one command:
// an exec of a missing shell does not fail at create, only once it runs.
var defaultShell = []string{"sh", "-c", "command -v bash >/dev/null && exec bash || exec sh"}

// TermSize is a terminal's size in character cells.
type TermSize struct {
	Rows, Cols uint
}

// ExecOptions describe a command to run in a container and its streams.
type ExecOptions struct {
	// Cmd is the command; empty runs bash if the image has it, else sh.
	Cmd     []string
	User    string
	WorkDir string
	Env     []string
	// TTY gives the command a terminal: output comes raw on Stdout
	// (stderr merged), and Size and Resize apply.
	TTY bool
	// Size is the terminal's size at start.
	Size TermSize
	// Stdin feeds the command; nil attaches none. Its end closes the
	// command's input only without a TTY. Copying stops when the
	// command ends: if Stdin has a Cancel() bool method (as
	// github.com/muesli/cancelreader's readers do) it is called then, so a
	// pending read does not swallow a key meant for the caller afterwards.
	// Otherwise the caller must stop the reader itself once Exec returns.
	Stdin io.Reader
	// Stdout and Stderr receive the output; nil discards it.
	Stdout, Stderr io.Writer
	// Resize delivers new terminal sizes while the command runs.
	Resize <-chan TermSize
}

// stdinCanceler is the part of a cancellable reader Exec uses.
type stdinCanceler interface {
	Cancel() bool
}

// Exec runs a command in a running container, attached to the given
// streams, and returns its exit code once it ends. A command that cannot be
// started (not found, not executable) is not a Go error: the engine prints
// why on the output and the exit code is 126 or 127, as in a shell. Errors
// are for what prevents running anything (no such container, not running,
// engine unreachable) and for ctx ending, which also ends the session.
func (e *Engine) Exec(ctx context.Context, containerID string, opts ExecOptions) (int, error) {
	cmd := opts.Cmd
	if len(cmd) == 0 {
		cmd = defaultShell
	}
	var size client.ConsoleSize
	if opts.TTY {
		size = client.ConsoleSize{Height: opts.Size.Rows, Width: opts.Size.Cols}
	}
	created, err := e.api.ExecCreate(ctx, containerID, client.ExecCreateOptions{
		User:         opts.User,
		TTY:          opts.TTY,
		ConsoleSize:  size,
		AttachStdin:  opts.Stdin != nil,
		AttachStdout: true,
		AttachStderr: true,
		Env:          opts.Env,
		WorkingDir:   opts.WorkDir,
		Cmd:          cmd,
	})
	if err != nil {
		return -1, fmt.Errorf("exec in %.12s: %w", containerID, err)
	}
	att, err := e.api.ExecAttach(ctx, created.ID, client.ExecAttachOptions{TTY: opts.TTY, ConsoleSize: size})
	if err != nil {
		return -1, fmt.Errorf("exec in %.12s: attach: %w", containerID, err)
	}
	defer att.Close()
	stopOnCancel := context.AfterFunc(ctx, att.Close)
	defer stopOnCancel()

	done := make(chan struct{})
	if opts.TTY {
		// Engines before API 1.42 ignore the size given at create.
		e.resizeExec(ctx, created.ID, opts.Size)
		go e.followResizes(ctx, created.ID, opts.Resize, done)
	}
	if opts.Stdin != nil {
		go copyStdin(att.HijackedResponse, opts.Stdin, !opts.TTY)
	}
	err = copyExecOutput(att.Reader, opts)
	close(done)
	if c, ok := opts.Stdin.(stdinCanceler); ok {
		c.Cancel()
	}
	if ctx.Err() != nil {
		return -1, fmt.Errorf("exec in %.12s: %w", containerID, ctx.Err())
	}
	if err != nil {
		return -1, fmt.Errorf("exec in %.12s: %w", containerID, err)
	}
	return e.execExitCode(ctx, created.ID)
}

// copyExecOutput copies the command's output until it ends: raw with a
// TTY, demultiplexed without.
func copyExecOutput(r io.Reader, opts ExecOptions) error {
	stdout, stderr := opts.Stdout, opts.Stderr
	if stdout == nil {
		stdout = io.Discard
	}
	if stderr == nil {
		stderr = io.Discard
	}
	var err error
	if opts.TTY {
		_, err = io.Copy(stdout, r)
	} else {
		_, err = stdcopy.StdCopy(stdout, stderr, r)
	}
	if errors.Is(err, io.EOF) {
		return nil
	}
	return err
}

// copyStdin feeds the command until the input ends, then, without a TTY,
// closes the write side so the command sees end of file. A terminal has no
// end of file (^D is a character the command reads): closing a TTY exec's
// input makes the engine drop the session while the command goes on, so it
// is left open.
func copyStdin(conn client.HijackedResponse, stdin io.Reader, closeWrite bool) {
	if _, err := io.Copy(conn.Conn, stdin); err == nil && closeWrite {
		conn.CloseWrite()
	}
}

func (e *Engine) followResizes(ctx context.Context, execID string, sizes <-chan TermSize, done <-chan struct{}) {
	for {
		select {
		case size, ok := <-sizes:
			if !ok {
				return
			}
			e.resizeExec(ctx, execID, size)
		case <-done:
			return
		}
	}
}

// resizeExec sets the terminal size. Right after attach the engine may not
// have started the process yet and refuses; like the docker CLI, retry a
// few times. Later failures are harmless (the command may have ended) and
// only leave the old size.
func (e *Engine) resizeExec(ctx context.Context, execID string, size TermSize) {
	if size.Rows == 0 || size.Cols == 0 {
		return
	}
	for try := 1; try <= 10; try++ {
		_, err := e.api.ExecResize(ctx, execID, client.ExecResizeOptions{Height: size.Rows, Width: size.Cols})
		if err == nil || !sleepCtx(ctx, time.Duration(try)*10*time.Millisecond) {
			return
		}
	}
}

// execExitCode reads the exit code; the engine may report the exec as still
// running for a moment after its output ends.
func (e *Engine) execExitCode(ctx context.Context, execID string) (int, error) {
	for wait := 10 * time.Millisecond; ; wait *= 2 {
		res, err := e.api.ExecInspect(ctx, execID, client.ExecInspectOptions{})
		if err != nil {
			return -1, fmt.Errorf("exec %.12s: exit code: %w", execID, err)
		}
		if !res.Running {
			return res.ExitCode, nil
		}
		if wait > 2*time.Second {
			return -1, fmt.Errorf("exec %.12s: output ended but the engine still reports it running", execID)
		}
		if !sleepCtx(ctx, wait) {
			return -1, fmt.Errorf("exec %.12s: %w", execID, ctx.Err())
		}
	}
}
