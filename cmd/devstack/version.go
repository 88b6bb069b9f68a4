package main

import (
	"fmt"
	"runtime"
	"strings"

	"github.com/spf13/cobra"
)

func newVersionCmd(g *globals) *cobra.Command {
	var short bool
	cmd := &cobra.Command{
		Use:   "version",
		Short: "Show devstack's version",
		Args:  noArgs("version takes no arguments: devstack version"),
		RunE: func(*cobra.Command, []string) error {
			if short {
				_, err := fmt.Fprintln(g.stdout, strings.TrimPrefix(version, "v"))
				return err
			}
			_, err := fmt.Fprintf(g.stdout, "devstack %s (commit %s, built %s, %s %s/%s)\n",
				version, commit, date, runtime.Version(), runtime.GOOS, runtime.GOARCH)
			return err
		},
	}
	cmd.Flags().BoolVar(&short, "short", false, "show only the version number")
	return cmd
}
