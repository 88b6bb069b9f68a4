package main

import (
	"context"
	"os"

	"github.com/spf13/cobra"
	"golang.org/x/term"

	"github.com/devstack/devstack/stack"
)

type attachFlags struct {
	index      int
	detachKeys string
	noStdin    bool
}

func newAttachCmd(g *globals) *cobra.Command {
	var f attachFlags
	cmd := &cobra.Command{
		Use:   "attach [flags] SERVICE",
		Short: "Attach this terminal to a service's running container (detach with ctrl-p ctrl-q)",
		Args:  cobra.ExactArgs(1),
		RunE: g.onProject(false, func(ctx context.Context, e *stack.Engine, name string, p *stack.Project, args []string) error {
			opts := stack.AttachOptions{Index: f.index, DetachKeys: f.detachKeys, Stdout: g.stdout, Stderr: g.stderr,
				Terminal: attachTerminal}
			if !f.noStdin {
				opts.Stdin = os.Stdin
			}
			code, err := e.Attach(ctx, name, p, args[0], opts)
			if err != nil {
				return err
			}
			if code != 0 {
				return exitCodeError{code: code}
			}
			return nil
		}),
	}
	fl := cmd.Flags()
	fl.IntVar(&f.index, "index", 0, "index of the container if the service has several replicas")
	fl.StringVar(&f.detachKeys, "detach-keys", "", "override the key sequence for detaching from the container")
	fl.BoolVar(&f.noStdin, "no-stdin", false, "do not attach stdin")
	return cmd
}

// attachTerminal hands the terminal over, as exec does, when the
// container has a TTY and this process runs in one.
func attachTerminal(tty bool) (<-chan stack.TermSize, func(), error) {
	if !tty || !term.IsTerminal(int(os.Stdin.Fd())) || !term.IsTerminal(int(os.Stdout.Fd())) {
		return nil, func() {}, nil
	}
	return rawTerminal()
}
