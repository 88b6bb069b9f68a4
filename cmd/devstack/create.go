package main

import (
	"context"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/devstack/devstack/stack"
)

func newCreateCmd(g *globals) *cobra.Command {
	var f upFlags
	cmd := &cobra.Command{
		Use:   "create [flags] [SERVICE...]",
		Short: "Create the services' containers (and networks, volumes, images) without starting them",
		RunE: g.onProject(true, func(ctx context.Context, e *stack.Engine, _ string, p *stack.Project, services []string) error {
			if f.build && f.noBuild {
				return fmt.Errorf("create: --build and --no-build are mutually exclusive")
			}
			if f.forceRecreate && f.noRecreate {
				return fmt.Errorf("create: --force-recreate and --no-recreate are mutually exclusive")
			}
			scale, err := parseScale(f.scale)
			if err != nil {
				return err
			}
			return e.Create(ctx, p, stack.UpOptions{Services: services, Build: f.build, NoBuild: f.noBuild,
				ForceRecreate: f.forceRecreate, NoRecreate: f.noRecreate, RemoveOrphans: f.removeOrphans, Scale: scale,
				Progress: newProgressPrinter(g, g.stderr).report})
		}),
	}
	f.addConvergeFlags(cmd.Flags())
	return cmd
}
