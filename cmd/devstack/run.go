package main

import (
	"fmt"
	"os"

	"github.com/mattn/go-shellwords"
	"github.com/spf13/cobra"
	"golang.org/x/term"

	"github.com/devstack/devstack/stack"
)

type runFlags struct {
	remove, detach, noDeps, servicePorts, noTTY, interactive bool
	entrypoint, user, workdir, name                          string
	env, volumes, publish                                    []string
}

func newRunCmd(g *globals) *cobra.Command {
	var f runFlags
	cmd := &cobra.Command{
		Use:   "run [flags] SERVICE [COMMAND [ARG...]]",
		Short: "Run a one-off command in a new container of a service (as docker compose run)",
		Args:  cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return runRun(cmd, g, f, args[0], args[1:])
		},
	}
	fl := cmd.Flags()
	// Flags after SERVICE belong to the command, as with docker compose run.
	fl.SetInterspersed(false)
	fl.BoolVar(&f.remove, "rm", false, "remove the container when it ends (also on failure or ctrl+c)")
	fl.BoolVarP(&f.detach, "detach", "d", false, "run in the background and print the container name")
	fl.BoolVar(&f.noDeps, "no-deps", false, "don't start the services it depends on")
	fl.BoolVar(&f.servicePorts, "service-ports", false, "publish the service's ports (a one-off container publishes none by default)")
	fl.BoolVarP(&f.noTTY, "no-TTY", "T", false, "disable pseudo-TTY allocation (default: a TTY when stdin is a terminal)")
	fl.BoolVarP(&f.interactive, "interactive", "i", true, "keep stdin open")
	fl.StringVar(&f.entrypoint, "entrypoint", "", "override the image's entrypoint")
	fl.StringVarP(&f.user, "user", "u", "", "run as this user")
	fl.StringVarP(&f.workdir, "workdir", "w", "", "working directory inside the container")
	fl.StringVar(&f.name, "name", "", "container name (default <project>-<service>-run-<id>)")
	fl.StringArrayVarP(&f.env, "env", "e", nil, "set an environment variable (KEY=VALUE, or KEY to pass devstack's own)")
	fl.StringArrayVarP(&f.volumes, "volume", "v", nil, "bind mount a volume (SRC:DST[:MODE])")
	fl.StringArrayVarP(&f.publish, "publish", "p", nil, "publish a container port on the host")
	return cmd
}

func runRun(cmd *cobra.Command, g *globals, f runFlags, service string, command []string) error {
	ctx := cmd.Context()
	p, err := g.load(ctx)
	if err != nil {
		return err
	}
	e, err := g.connect(ctx)
	if err != nil {
		return err
	}
	defer e.Close()
	tty := !f.noTTY && !f.detach && term.IsTerminal(int(os.Stdin.Fd())) && term.IsTerminal(int(os.Stdout.Fd()))
	opts := stack.RunOptions{Service: service, Cmd: command, Env: f.env, User: f.user, WorkDir: f.workdir,
		Volumes: f.volumes, Ports: f.publish, ServicePorts: f.servicePorts, Name: f.name, NoDeps: f.noDeps,
		Remove: f.remove, Detach: f.detach, TTY: tty, Interactive: f.interactive && !f.detach,
		Stdout: g.stdout, Stderr: g.stderr, Progress: newProgressPrinter(g, g.stderr).report}
	if cmd.Flags().Changed("entrypoint") {
		if opts.Entrypoint, err = shellwords.Parse(f.entrypoint); err != nil {
			return fmt.Errorf("run %s: --entrypoint %q: %w", service, f.entrypoint, err)
		}
	}
	if opts.Interactive {
		opts.Stdin = os.Stdin
	}
	restore, err := runTerminal(&opts)
	if err != nil {
		return fmt.Errorf("run %s: %w", service, err)
	}
	res, err := e.Run(ctx, p, opts)
	restore()
	if err != nil {
		return err
	}
	if f.detach {
		fmt.Fprintln(g.stdout, res.Name)
		return nil
	}
	if res.ExitCode != 0 {
		return exitCodeError{code: res.ExitCode}
	}
	return nil
}

// runTerminal puts the terminal in raw mode and follows its size when the
// run has a TTY; restore undoes it.
func runTerminal(opts *stack.RunOptions) (restore func(), err error) {
	if !opts.TTY {
		return func() {}, nil
	}
	state, err := term.MakeRaw(int(os.Stdin.Fd()))
	if err != nil {
		return nil, fmt.Errorf("terminal raw mode: %w", err)
	}
	resize := make(chan stack.TermSize, 1)
	stopResize := watchResize(resize)
	if w, h, err := term.GetSize(int(os.Stdout.Fd())); err == nil {
		opts.Size = stack.TermSize{Rows: uint(h), Cols: uint(w)}
	}
	opts.Resize = resize
	return func() {
		stopResize()
		term.Restore(int(os.Stdin.Fd()), state)
	}, nil
}
