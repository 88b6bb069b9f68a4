package main

import (
	"context"

	"github.com/spf13/cobra"

	"github.com/devstack/devstack/stack"
)

// projectVerb is the body of a verb that works on one project: p is nil
// when there is no compose file and the project is known by -p alone.
type projectVerb func(ctx context.Context, e *stack.Engine, name string, p *stack.Project, args []string) error

// onProject makes a cobra RunE that loads the project (a compose file is
// required with needFile), connects to the engine, runs the verb and
// closes the engine.
func (g *globals) onProject(needFile bool, verb projectVerb) func(*cobra.Command, []string) error {
	return func(cmd *cobra.Command, args []string) error {
		ctx := cmd.Context()
		p, name, e, err := g.open(ctx, needFile)
		if err != nil {
			return err
		}
		defer e.Close()
		return verb(ctx, e, name, p, args)
	}
}
