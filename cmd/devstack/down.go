package main

import (
	"fmt"

	"github.com/spf13/cobra"

	"github.com/devstack/devstack/stack"
)

type downFlags struct {
	volumes       bool
	rmi           string
	removeOrphans bool
	timeout       int
}

func newDownCmd(g *globals) *cobra.Command {
	var f downFlags
	cmd := &cobra.Command{
		Use:   "down [flags]",
		Short: "Stop and remove the stack's containers and networks (named volumes only with -v)",
		Args:  noArgs("down takes no service names; it removes the whole stack (to stop some services: devstack stop SERVICE...)"),
		RunE: func(cmd *cobra.Command, _ []string) error {
			ctx := cmd.Context()
			if f.rmi != "" && f.rmi != "local" && f.rmi != "all" {
				return fmt.Errorf("down: --rmi %q: want local or all", f.rmi)
			}
			// down works from labels alone when there is no compose file,
			// as long as the project name is known.
			p, name, e, err := g.open(ctx, false)
			if err != nil {
				return err
			}
			defer e.Close()
			return e.Down(ctx, name, p, stack.DownOptions{
				Volumes:       f.volumes,
				RemoveImages:  f.rmi,
				RemoveOrphans: f.removeOrphans,
				Timeout:       stopTimeout(f.timeout),
				Progress:      newProgressPrinter(g, g.stderr).report,
			})
		},
	}
	fl := cmd.Flags()
	fl.BoolVarP(&f.volumes, "volumes", "v", false, "also remove named volumes declared in the compose file and anonymous volumes")
	fl.StringVar(&f.rmi, "rmi", "", `remove images used by services: "local" (built ones only) or "all"`)
	fl.BoolVar(&f.removeOrphans, "remove-orphans", false, "remove containers for services not defined in the compose file")
	fl.IntVarP(&f.timeout, "timeout", "t", -1, "shutdown timeout in seconds (default: the service's stop_grace_period, else 10)")
	return cmd
}
