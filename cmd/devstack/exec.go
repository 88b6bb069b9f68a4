package main

import (
	"context"
	"fmt"
	"os"

	"github.com/charmbracelet/x/term"
	"github.com/spf13/cobra"

	"github.com/devstack/devstack/stack"
	"github.com/devstack/devstack/termsize"
)

type execFlags struct {
	noTTY   bool
	user    string
	workdir string
	env     []string
	index   int
}

func newExecCmd(g *globals) *cobra.Command {
	var f execFlags
	cmd := &cobra.Command{
		Use:   "exec [flags] SERVICE [COMMAND [ARG...]]",
		Short: "Run a command in a running container (no command: bash if present, else sh)",
		Args:  argsBetween(1, -1, "exec needs a service name: devstack exec SERVICE [COMMAND [ARG...]]"),
		RunE: func(cmd *cobra.Command, args []string) error {
			return runExec(cmd.Context(), g, f, args[0], args[1:])
		},
	}
	fl := cmd.Flags()
	// Flags after SERVICE belong to the command, as with docker compose exec.
	fl.SetInterspersed(false)
	fl.BoolVarP(&f.noTTY, "no-tty", "T", false, "disable pseudo-TTY allocation (default: a TTY when stdin is a terminal)")
	fl.StringVarP(&f.user, "user", "u", "", "run the command as this user")
	fl.StringVarP(&f.workdir, "workdir", "w", "", "working directory inside the container")
	fl.StringArrayVarP(&f.env, "env", "e", nil, "set environment variables (KEY=VALUE)")
	fl.IntVar(&f.index, "index", 1, "index of the container if the service has several replicas")
	return cmd
}

func runExec(ctx context.Context, g *globals, f execFlags, service string, command []string) error {
	_, name, e, err := g.openFor(ctx, false, []string{service})
	if err != nil {
		return err
	}
	defer e.Close()
	c, err := serviceContainer(ctx, e, name, service, f.index)
	if err != nil {
		return err
	}
	tty := !f.noTTY && term.IsTerminal(os.Stdin.Fd()) && term.IsTerminal(os.Stdout.Fd())
	opts := stack.ExecOptions{Cmd: command, User: f.user, WorkDir: f.workdir, Env: f.env, TTY: tty,
		Stdin: os.Stdin, Stdout: g.stdout, Stderr: g.stderr}
	if tty {
		resize, restore, err := rawTerminal()
		if err != nil {
			return fmt.Errorf("exec %s: %w", service, err)
		}
		defer restore()
		opts.Resize = resize
	}
	code, err := e.Exec(ctx, c.ID, opts)
	if err != nil {
		return fmt.Errorf("exec %s: %w", service, err)
	}
	if code != 0 {
		return exitCodeError{code: code}
	}
	return nil
}

// serviceContainer finds the running container number index of a service.
func serviceContainer(ctx context.Context, e *stack.Engine, project, service string, index int) (stack.Container, error) {
	cs, err := e.Ps(ctx, project, stack.PsOptions{Services: []string{service}})
	if err != nil {
		return stack.Container{}, err
	}
	for _, c := range cs {
		if c.Number == index && c.Running() {
			return c, nil
		}
	}
	return stack.Container{}, fmt.Errorf("service %s: no running container number %d (is the stack up? try `devstack ps -a`): %w",
		service, index, stack.ErrNotCreated)
}

// rawTerminal puts the terminal in raw mode for a session with a TTY
// (exec, attach) and follows its size; restore puts it back.
func rawTerminal() (sizes <-chan stack.TermSize, restore func(), err error) {
	state, err := term.MakeRaw(os.Stdin.Fd())
	if err != nil {
		return nil, nil, fmt.Errorf("terminal raw mode: %w", err)
	}
	resize := make(chan stack.TermSize, 1)
	stopResize := watchResize(resize)
	return resize, func() {
		stopResize()
		term.Restore(os.Stdin.Fd(), state)
	}, nil
}

// watchResize sends the terminal size now and after every resize; a size
// not yet read is replaced by the newer one.
func watchResize(out chan stack.TermSize) (stop func()) {
	send := func(s termsize.Size) {
		select {
		case <-out:
		default:
		}
		select {
		case out <- stack.TermSize{Rows: s.Rows, Cols: s.Cols}:
		default:
		}
	}
	fd := os.Stdout.Fd()
	if s, ok := termsize.Get(fd); ok {
		send(s)
	}
	return termsize.Watch(fd, send)
}
