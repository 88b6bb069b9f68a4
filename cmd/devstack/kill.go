package main

import (
	"context"
	"errors"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/devstack/devstack/stack"
)

func newKillCmd(g *globals) *cobra.Command {
	var opts stack.KillOptions
	cmd := &cobra.Command{
		Use:   "kill [flags] [SERVICE...]",
		Short: "Force stop service containers (SIGKILL, or the signal given with -s)",
		RunE: g.onProject(false, func(ctx context.Context, e *stack.Engine, name string, p *stack.Project, services []string) error {
			opts.Services, opts.Progress = services, newProgressPrinter(g, g.stderr).report
			err := e.Kill(ctx, name, p, opts)
			if errors.Is(err, stack.ErrNoContainers) {
				fmt.Fprintln(g.stderr, "No container to kill")
				return nil
			}
			return err
		}),
	}
	cmd.Flags().StringVarP(&opts.Signal, "signal", "s", "SIGKILL", "signal to send to the containers")
	cmd.Flags().BoolVar(&opts.RemoveOrphans, "remove-orphans", false, "also kill containers of services not defined in the compose file")
	return cmd
}
