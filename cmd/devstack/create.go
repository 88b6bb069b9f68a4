package main

import (
	"fmt"

	"github.com/spf13/cobra"

	"github.com/devstack/devstack/stack"
)

func newCreateCmd(g *globals) *cobra.Command {
	var f upFlags
	cmd := &cobra.Command{
		Use:   "create [flags] [SERVICE...]",
		Short: "Create the services' containers (and networks, volumes, images) without starting them",
		RunE: func(cmd *cobra.Command, services []string) error {
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
			ctx := cmd.Context()
			p, _, e, err := g.open(ctx, true)
			if err != nil {
				return err
			}
			defer e.Close()
			return e.Create(ctx, p, stack.UpOptions{Services: services, Build: f.build, NoBuild: f.noBuild,
				ForceRecreate: f.forceRecreate, NoRecreate: f.noRecreate, RemoveOrphans: f.removeOrphans, Scale: scale,
				Progress: newProgressPrinter(g, g.stderr).report})
		},
	}
	fl := cmd.Flags()
	fl.BoolVar(&f.build, "build", false, "build images before creating containers")
	fl.BoolVar(&f.noBuild, "no-build", false, "don't build an image, even if it is missing")
	fl.BoolVar(&f.forceRecreate, "force-recreate", false, "recreate containers even if their configuration has not changed")
	fl.BoolVar(&f.noRecreate, "no-recreate", false, "if containers already exist, don't recreate them")
	fl.BoolVar(&f.removeOrphans, "remove-orphans", false, "remove containers for services not defined in the compose file")
	fl.StringArrayVar(&f.scale, "scale", nil, "scale SERVICE to NUM instances (SERVICE=NUM, repeatable)")
	return cmd
}
