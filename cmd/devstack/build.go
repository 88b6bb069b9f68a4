package main

import (
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"github.com/devstack/devstack/stack"
)

type buildFlags struct {
	target   string
	noCache  bool
	pull     bool
	progress string
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
			progress, err := newBuildProgress(g, g.stderr, f.progress)
			if err != nil {
				return err
			}
			p, _, e, err := g.openFor(ctx, true, services)
			if err != nil {
				return err
			}
			defer e.Close()
			return e.Build(ctx, p, stack.BuildOptions{Services: services, Target: f.target, NoCache: f.noCache,
				Pull: f.pull, Progress: progress})
		},
	}
	cmd.Flags().StringVar(&f.target, "target", "", "build this Dockerfile stage instead of the configured target")
	cmd.Flags().BoolVar(&f.noCache, "no-cache", false, "do not use the build cache")
	cmd.Flags().BoolVar(&f.pull, "pull", false, "always look for newer versions of the base images")
	cmd.Flags().StringVar(&f.progress, "progress", "auto", "progress output: "+strings.Join(buildProgressModes, ", "))
	return cmd
}

func newStagesCmd(g *globals) *cobra.Command {
	return &cobra.Command{
		Use:   "stages SERVICE",
		Short: "List the stages of a service's Dockerfile, marking the configured target, with the stages each one needs",
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
				line := fmt.Sprintf("%s %-16s FROM %-24s", mark, name, s.Base)
				// A build of this stage runs only these (with BuildKit).
				if needs, err := stack.StageNeeds(p, args[0], name); err == nil && len(needs) > 1 {
					line += " needs " + strings.Join(needs[:len(needs)-1], ", ")
				}
				fmt.Fprintln(g.stdout, strings.TrimRight(line, " "))
			}
			return nil
		},
	}
}
