package main

import (
	"context"
	"fmt"
	"os"

	"github.com/spf13/cobra"

	"github.com/devstack/devstack/stack"
)

func newCpCmd(g *globals) *cobra.Command {
	var opts stack.CopyOptions
	cmd := &cobra.Command{
		Use: "cp [flags] SERVICE[-INDEX]:SRC_PATH DEST_PATH|-\n" +
			"  devstack cp [flags] SRC_PATH|- SERVICE[-INDEX]:DEST_PATH",
		Short: "Copy files and folders between a service's container and the local filesystem",
		Args:  cobra.ExactArgs(2),
		RunE: g.onProject(false, func(ctx context.Context, e *stack.Engine, name string, p *stack.Project, args []string) error {
			if args[0] == "" || args[1] == "" {
				return fmt.Errorf("cp: source and destination must not be empty")
			}
			opts.Source, opts.Destination = args[0], args[1]
			opts.Stdin, opts.Stdout = os.Stdin, g.stdout
			opts.Progress = newProgressPrinter(g, g.stderr).report
			return e.Copy(ctx, name, p, opts)
		}),
	}
	fl := cmd.Flags()
	fl.IntVar(&opts.Index, "index", 0, "index of the container if the service has several replicas")
	fl.BoolVar(&opts.All, "all", false, "include containers created by the run command")
	fl.BoolVarP(&opts.FollowLink, "follow-link", "L", false, "always follow a symbolic link in SRC_PATH")
	fl.BoolVarP(&opts.CopyUIDGID, "archive", "a", false, "archive mode (copy all uid/gid information)")
	return cmd
}
