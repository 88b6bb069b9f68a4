package main

import (
	"fmt"

	"github.com/spf13/cobra"
)

type configFlags struct {
	services bool
	hash     string
}

func newConfigCmd(g *globals) *cobra.Command {
	var f configFlags
	cmd := &cobra.Command{
		Use:   "config [flags]",
		Short: "Validate the compose file and show the model, service names or config hashes",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			p, err := g.load(cmd.Context())
			if err != nil {
				return err
			}
			switch {
			case f.services:
				for _, s := range p.Services {
					fmt.Fprintln(g.stdout, s.Name)
				}
				return nil
			case f.hash != "":
				return printHashes(g, p.Services, f.hash)
			}
			return fmt.Errorf("config: nothing to show yet")
		},
	}
	cmd.Flags().BoolVar(&f.services, "services", false, "print the service names, one per line")
	cmd.Flags().StringVar(&f.hash, "hash", "", "print the config hash of the services ('*' for all, or a comma-separated list)")
	return cmd
}
