package main

import (
	"fmt"

	"github.com/spf13/cobra"

	"github.com/devstack/devstack/stack"
)

type buildFlags struct {
	target  string
	noCache bool
}

func newBuildCmd(g *globals) *cobra.Command {
	var f buildFlags
	cmd := &cobra.Command{
		Use:   "build [flags] [SERVICE...]",
		Short: "Build the services' images (--target: from a chosen Dockerfile stage)",
		RunE: func(cmd *cobra.Command, services []string) error {
			ctx := cmd.Context()
			if f.target != "" && len(services) != 1 {
				return fmt.Errorf("build --target %s: name exactly one service", f.target)
			}
			p, _, e, err := g.openFor(ctx, true, services)
			if err != nil {
				return err
			}
			defer e.Close()
			return e.Build(ctx, p, stack.BuildOptions{Services: services, Target: f.target, NoCache: f.noCache,
				Progress: newProgressPrinter(g, g.stderr).report})
		},
	}
	cmd.Flags().StringVar(&f.target, "target", "", "build this Dockerfile stage instead of the configured target")
	cmd.Flags().BoolVar(&f.noCache, "no-cache", false, "do not use the build cache")
	return cmd
}

func newStagesCmd(g *globals) *cobra.Command {
	return &cobra.Command{
		Use:   "stages SERVICE",
		Short: "List the stages of a service's Dockerfile, marking the configured target",
		Args:  argsBetween(1, 1, "stages needs one service name: devstack stages SERVICE"),
		RunE: func(cmd *cobra.Command, args []string) error {
			p, err := g.load(cmd.Context())
			if err != nil {
				return err
			}
			if err := p.CheckServices(args[0]); err != nil {
				return err
			}
			stages, err := stack.Stages(p, args[0])
			if err != nil {
				return err
			}
			target := stack.ConfiguredTarget(p, args[0])
			for i, s := range stages {
				mark := " "
				if (target != "" && s.Name == target) || (target == "" && i == len(stages)-1) {
					mark = "*"
				}
				name := s.Name
				if name == "" {
					name = fmt.Sprintf("#%d", s.Index)
				}
				fmt.Fprintf(g.stdout, "%s %-16s FROM %s\n", mark, name, s.Base)
			}
			return nil
		},
	}
}
