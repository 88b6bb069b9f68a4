package main

import "github.com/spf13/cobra"

// commands lists every verb; the order is the order of `devstack --help`.
func commands(g *globals) []*cobra.Command {
	return []*cobra.Command{
		newBuildCmd(g),
		newStagesCmd(g),
		newConfigCmd(g),
		newVersionCmd(g),
	}
}
