package main

import (
	"context"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/devstack/devstack/stack"
)

func newWaitCmd(g *globals) *cobra.Command {
	var downProject bool
	cmd := &cobra.Command{
		Use:   "wait [flags] SERVICE [SERVICE...]",
		Short: "Block until the services' containers stop; exit with the last one's exit code",
		Args:  cobra.MinimumNArgs(1),
		RunE: g.onProject(false, func(ctx context.Context, e *stack.Engine, name string, p *stack.Project, services []string) error {
			code, err := e.Wait(ctx, name, p, stack.WaitOptions{Services: services, DownProject: downProject,
				Exited: func(id string, code int) {
					fmt.Fprintf(g.stdout, "container %q exited with status code %d\n", id, code)
				},
				Progress: newProgressPrinter(g, g.stderr).report})
			if err != nil {
				return err
			}
			if code != 0 {
				return exitCodeError{code: code}
			}
			return nil
		}),
	}
	cmd.Flags().BoolVar(&downProject, "down-project", false, "take the project down once the containers have stopped")
	return cmd
}
