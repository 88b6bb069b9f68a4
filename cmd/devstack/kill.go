package main

import (
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
		RunE: func(cmd *cobra.Command, services []string) error {
			ctx := cmd.Context()
			p, name, e, err := g.open(ctx, false)
			if err != nil {
				return err
			}
			defer e.Close()
			opts.Services, opts.Progress = services, newProgressPrinter(g, g.stderr).report
			err = e.Kill(ctx, name, p, opts)
			if errors.Is(err, stack.ErrNoContainers) {
				fmt.Fprintln(g.stderr, "No container to kill")
				return nil
			}
			return err
		},
	}
	cmd.Flags().StringVarP(&opts.Signal, "signal", "s", "SIGKILL", "signal to send to the containers")
	cmd.Flags().BoolVar(&opts.RemoveOrphans, "remove-orphans", false, "also kill containers of services not defined in the compose file")
	return cmd
}
