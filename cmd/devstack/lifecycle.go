package main

import (
	"context"

	"github.com/spf13/cobra"

	"github.com/devstack/devstack/stack"
)

// newLifecycleCmd builds restart, stop and start, which share their shape.
func newLifecycleCmd(g *globals, use, short string,
	verb func(e *stack.Engine, ctx context.Context, p *stack.Project, o stack.LifecycleOptions) error) *cobra.Command {
	var timeout int
	cmd := &cobra.Command{
		Use:   use + " [flags] [SERVICE...]",
		Short: short,
		RunE: func(cmd *cobra.Command, services []string) error {
			ctx := cmd.Context()
			p, _, e, err := g.openFor(ctx, true, services)
			if err != nil {
				return err
			}
			defer e.Close()
			return verb(e, ctx, p, stack.LifecycleOptions{Services: services, Timeout: stopTimeout(timeout),
				Progress: newProgressPrinter(g, g.stderr).report})
		},
	}
	if use != "start" {
		cmd.Flags().IntVarP(&timeout, "timeout", "t", -1, "shutdown timeout in seconds (default: the service's stop_grace_period, else 10)")
	}
	return cmd
}
