package tui

import (
	"context"
	"io"
	"os"
	"os/signal"
	"sync"
	"syscall"
	"time"

	"github.com/muesli/cancelreader"
	"golang.org/x/term"

	"github.com/devstack/devstack/stack"
)

// shellCommand is the tea.ExecCommand that runs a shell through
// Backend.Exec while Bubble Tea has released the terminal. Bubble Tea
// leaves the terminal cooked, so it sets raw mode itself; it wraps stdin in
// a cancellable reader so the copy into the container stops when the shell
// ends (otherwise the copy would swallow the first key pressed back in the
// screen); it sends the terminal size at start and on every SIGWINCH.
type shellCommand struct {
	ctx    context.Context
	b      Backend
	id     string
	req    stack.ExecOptions
	stdin  io.Reader
	stdout io.Writer
	stderr io.Writer
	code   int
}

func newShellCommand(ctx context.Context, b Backend, id string, req stack.ExecOptions) *shellCommand {
	return &shellCommand{ctx: ctx, b: b, id: id, req: req}
}

func (c *shellCommand) SetStdin(r io.Reader)  { c.stdin = r }
func (c *shellCommand) SetStdout(w io.Writer) { c.stdout = w }
func (c *shellCommand) SetStderr(w io.Writer) { c.stderr = w }

type fder interface{ Fd() uintptr }

// Run runs the shell to its end; the exit code is kept in c.code.
func (c *shellCommand) Run() error {
	if c.stdin == nil {
		c.stdin = os.Stdin
	}
	if c.stdout == nil {
		c.stdout = os.Stdout
	}
	if f, ok := c.stdin.(fder); ok && term.IsTerminal(int(f.Fd())) {
		old, err := term.MakeRaw(int(f.Fd()))
		if err == nil {
			defer func() { _ = term.Restore(int(f.Fd()), old) }()
		}
	}
	req := c.req
	req.TTY = true
	req.Stdin, req.Stdout, req.Stderr = c.stdin, c.stdout, c.stdout
	if cr, err := cancelreader.NewReader(c.stdin); err == nil {
		// Regular files cannot be polled (err); they end by themselves.
		in := &stdinReader{r: cr}
		req.Stdin = in
		defer in.closeWhenIdle()
	}
	req.Size, _ = termSize(c.stdout)
	resize, stop := watchSize(c.stdout)
	req.Resize = resize
	code, err := c.b.Exec(c.ctx, c.id, req)
	stop()
	c.code = code
	return err
}

// stdinReader counts the reads in flight so the cancel reader is closed
// only after they returned: closing it first drops the cancel signal and
// leaves a read blocked on the terminal, which then eats a key.
type stdinReader struct {
	r      cancelreader.CancelReader
	mu     sync.Mutex
	active int
	idle   chan struct{}
}

func (s *stdinReader) Read(p []byte) (int, error) {
	s.mu.Lock()
	s.active++
	s.mu.Unlock()
	n, err := s.r.Read(p)
	s.mu.Lock()
	s.active--
	if s.active == 0 && s.idle != nil {
		close(s.idle)
		s.idle = nil
	}
	s.mu.Unlock()
	return n, err
}

// Cancel ends pending and future reads (Exec may call it when the command
// ends; closeWhenIdle does in any case).
func (s *stdinReader) Cancel() bool { return s.r.Cancel() }

// closeWhenIdle cancels, then closes the reader once no read is in flight
// (or leaves it open after a second rather than race).
func (s *stdinReader) closeWhenIdle() {
	s.r.Cancel()
	s.mu.Lock()
	if s.active == 0 {
		s.mu.Unlock()
		_ = s.r.Close()
		return
	}
	idle := make(chan struct{})
	s.idle = idle
	s.mu.Unlock()
	select {
	case <-idle:
		_ = s.r.Close()
	case <-time.After(time.Second):
	}
}

// termSize is the size of the terminal behind out, if it is one.
func termSize(out io.Writer) (stack.TermSize, bool) {
	f, ok := out.(fder)
	if !ok {
		return stack.TermSize{}, false
	}
	w, h, err := term.GetSize(int(f.Fd()))
	if err != nil {
		return stack.TermSize{}, false
	}
	return stack.TermSize{Rows: uint(h), Cols: uint(w)}, true
}

// watchSize sends the terminal's size after every SIGWINCH until stop is
// called, which also closes the channel.
func watchSize(out io.Writer) (<-chan stack.TermSize, func()) {
	ch := make(chan stack.TermSize, 1)
	winch := make(chan os.Signal, 1)
	signal.Notify(winch, syscall.SIGWINCH)
	done := make(chan struct{})
	finished := make(chan struct{})
	go func() {
		defer close(finished)
		for {
			select {
			case <-done:
				return
			case <-winch:
				if s, ok := termSize(out); ok {
					select {
					case ch <- s:
					case <-done:
						return
					}
				}
			}
		}
	}()
	return ch, func() {
		signal.Stop(winch)
		close(done)
		<-finished
		close(ch)
	}
}
