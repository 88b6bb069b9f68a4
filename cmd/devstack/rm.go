package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"os"
	"strings"

	"github.com/spf13/cobra"

	"github.com/devstack/devstack/stack"
)

type rmFlags struct {
	force, stop, volumes bool
}

func newRmCmd(g *globals) *cobra.Command {
	var f rmFlags
	cmd := &cobra.Command{
		Use:   "rm [flags] [SERVICE...]",
		Short: "Remove stopped service containers (anonymous volumes only with -v; named volumes never)",
		RunE: g.onProject(false, func(ctx context.Context, e *stack.Engine, name string, p *stack.Project, services []string) error {
			err := e.Remove(ctx, name, p, stack.RemoveOptions{Services: services, Stop: f.stop, Volumes: f.volumes,
				Confirm:  func(names []string) bool { return confirmRemove(g, names, f.force) },
				Progress: newProgressPrinter(g, g.stderr).report})
			if errors.Is(err, stack.ErrNoContainers) {
				fmt.Fprintln(g.stderr, "No stopped containers")
				return nil
			}
			return err
		}),
	}
	fl := cmd.Flags()
	fl.BoolVarP(&f.force, "force", "f", false, "don't ask to confirm removal")
	fl.BoolVarP(&f.stop, "stop", "s", false, "stop the containers, if required, before removing")
	fl.BoolVarP(&f.volumes, "volumes", "v", false, "remove the anonymous volumes attached to the containers")
	return cmd
}

// confirmRemove says what rm is about to remove and, without -f, asks on
// the terminal as compose does (no answer means no).
func confirmRemove(g *globals, names []string, force bool) bool {
	msg := "Going to remove " + strings.Join(names, ", ")
	if force {
		fmt.Fprintln(g.stdout, msg)
		return true
	}
	fmt.Fprintf(g.stderr, "? %s [y/N] ", msg)
	answer, _ := bufio.NewReader(os.Stdin).ReadString('\n')
	answer = strings.ToLower(strings.TrimSpace(answer))
	return answer == "y" || answer == "yes"
}
