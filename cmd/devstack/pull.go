package main

import (
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"github.com/devstack/devstack/stack"
)

type pullFlags struct {
	ignoreFailures  bool
	ignoreBuildable bool
	includeDeps     bool
	quiet           bool
	policy          string
}

func newPullCmd(g *globals) *cobra.Command {
	var f pullFlags
	cmd := &cobra.Command{
		Use:   "pull [flags] [SERVICE...]",
		Short: "Pull the services' images from their registries (with the docker CLI's credentials)",
		RunE: func(cmd *cobra.Command, services []string) error {
			ctx := cmd.Context()
			p, e, err := g.loadAndConnect(ctx, services)
			if err != nil {
				return err
			}
			defer e.Close()
			return e.Pull(ctx, p, stack.PullOptions{Services: services, IncludeDeps: f.includeDeps, Policy: f.policy,
				IgnoreFailures: f.ignoreFailures, IgnoreBuildable: f.ignoreBuildable, Progress: transferProgress(g, f.quiet)})
		},
	}
	fl := cmd.Flags()
	fl.BoolVar(&f.ignoreFailures, "ignore-pull-failures", false, "pull what it can and ignore images that fail")
	fl.BoolVar(&f.ignoreBuildable, "ignore-buildable", false, "skip services that have a build section")
	fl.BoolVar(&f.includeDeps, "include-deps", false, "also pull the services the named ones depend on")
	fl.BoolVarP(&f.quiet, "quiet", "q", false, "pull without printing progress")
	fl.StringVar(&f.policy, "policy", "", "apply this pull policy ("+strings.Join(stack.PullPolicies, "|")+")")
	return cmd
}

func newImagePushCmd(g *globals) *cobra.Command {
	var ignoreFailures, quiet bool
	cmd := &cobra.Command{
		Use:   "push [flags] [SERVICE...]",
		Short: "Push the images of services that have build: and image: to their registries",
		RunE: func(cmd *cobra.Command, services []string) error {
			ctx := cmd.Context()
			p, e, err := g.loadAndConnect(ctx, services)
			if err != nil {
				return err
			}
			defer e.Close()
			return e.Push(ctx, p, stack.PushOptions{Services: services, IgnoreFailures: ignoreFailures, Progress: transferProgress(g, quiet)})
		},
	}
	cmd.Flags().BoolVar(&ignoreFailures, "ignore-push-failures", false, "push what it can and ignore images that fail")
	cmd.Flags().BoolVarP(&quiet, "quiet", "q", false, "push without printing progress")
	return cmd
}

// transferProgress prints pull/push progress on stderr; quiet keeps only
// errors and warnings.
func transferProgress(g *globals, quiet bool) stack.ProgressFunc {
	pp := newProgressPrinter(g, g.stderr)
	if !quiet {
		return pp.report
	}
	return func(p stack.Progress) {
		if p.Kind == stack.ProgressError || p.Kind == stack.ProgressWarning {
			fmt.Fprintf(g.stderr, "%s: %s\n", p.Subject, p.Text)
		}
	}
}
