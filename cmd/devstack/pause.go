package main

import (
	"context"

	"github.com/spf13/cobra"

	"github.com/devstack/devstack/stack"
)

// newPauseCmd builds pause and unpause, which share their shape.
func newPauseCmd(g *globals, use, short string,
	verb func(e *stack.Engine, ctx context.Context, project string, p *stack.Project, o stack.PauseOptions) error) *cobra.Command {
	return &cobra.Command{
		Use:   use + " [SERVICE...]",
		Short: short,
		RunE: g.onProject(false, func(ctx context.Context, e *stack.Engine, name string, p *stack.Project, services []string) error {
			return verb(e, ctx, name, p, stack.PauseOptions{Services: services, Progress: newProgressPrinter(g, g.stderr).report})
		}),
	}
}
