package tui

import (
	"context"
	"io"
	"os"
	"sync"
	"time"

	"github.com/charmbracelet/x/term"
	"github.com/muesli/cancelreader"

	"github.com/devstack/devstack/stack"
	"github.com/devstack/devstack/termsize"
)

// shellCommand is the tea.ExecCommand that runs a shell through
// Backend.Exec while Bubble Tea has released the terminal. Bubble Tea
// leaves the terminal cooked, so it sets raw mode itself; it wraps stdin in
// a cancellable reader so the copy into the container stops when the shell
// ends (otherwise the copy would swallow the first key pressed back in the
// screen); it sends the terminal size at start and on every resize.
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
	if f, ok := c.stdin.(fder); ok && term.IsTerminal(f.Fd()) {
		old, err := term.MakeRaw(f.Fd())
		if err == nil {
			defer func() { _ = term.Restore(f.Fd(), old) }()
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
	s, ok := termsize.Get(f.Fd())
	return stack.TermSize{Rows: s.Rows, Cols: s.Cols}, ok
}

// watchSize sends the size of the terminal behind out each time it changes
// until stop is called, which also closes the channel. A size not yet read
// is replaced by the newer one.
func watchSize(out io.Writer) (<-chan stack.TermSize, func()) {
	ch := make(chan stack.TermSize, 1)
	f, ok := out.(fder)
	if !ok {
		return ch, func() { close(ch) }
	}
	stop := termsize.Watch(f.Fd(), func(s termsize.Size) {
		replace(ch, stack.TermSize{Rows: s.Rows, Cols: s.Cols})
	})
	return ch, func() {
		stop()
		close(ch)
	}
}

// replace puts v in the one-slot channel ch, dropping a value nobody read.
func replace[T any](ch chan T, v T) {
	for {
		select {
		case ch <- v:
			return
		default:
		}
		select {
		case <-ch:
		default:
		}
	}
}
