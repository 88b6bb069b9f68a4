package main

import (
	"context"

	"github.com/spf13/cobra"

	"github.com/devstack/devstack/stack"
)

func newScaleCmd(g *globals) *cobra.Command {
	var noDeps bool
	cmd := &cobra.Command{
		Use:   "scale [flags] SERVICE=REPLICAS...",
		Short: "Set the number of containers of services and converge them",
		Args:  cobra.MinimumNArgs(1),
		RunE: g.onProject(true, func(ctx context.Context, e *stack.Engine, _ string, p *stack.Project, args []string) error {
			replicas, err := parseScale(args)
			if err != nil {
				return err
			}
			return e.Scale(ctx, p, stack.ScaleOptions{Replicas: replicas, NoDeps: noDeps, Progress: newProgressPrinter(g, g.stderr).report})
		}),
	}
	cmd.Flags().BoolVar(&noDeps, "no-deps", false, "don't start the services they depend on")
	return cmd
}
