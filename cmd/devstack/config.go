package main

import (
	"bytes"
	"errors"
	"fmt"
	"os"

	"github.com/spf13/cobra"

	"github.com/devstack/devstack/stack"
)

type configFlags struct {
	services bool
	hash     string
	migrate  bool
	dryRun   bool
	force    bool
}

func newConfigCmd(g *globals) *cobra.Command {
	var f configFlags
	cmd := &cobra.Command{
		Use:   "config [flags]",
		Short: "Validate the compose file and print the model, the service names, config hashes, or migrate a v1 file",
		Args:  noArgs("config takes no arguments (name services with --hash SERVICE,...): devstack config [--services|--hash ...|--migrate]"),
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
				if f.hash != "*" {
					if err := p.CheckServices(splitList(f.hash)...); err != nil {
						return fmt.Errorf("config --hash: %w", err)
					}
				}
				return printHashes(g, p.Services, f.hash)
			case f.migrate:
				return migrate(g, p, f)
			}
			out, err := p.MarshalYAML()
			if err != nil {
				return err
			}
			_, err = g.stdout.Write(out)
			return err
		},
	}
	fl := cmd.Flags()
	fl.BoolVar(&f.services, "services", false, "print the service names, one per line")
	fl.StringVar(&f.hash, "hash", "", "print the config hash of the services ('*' for all, or a comma-separated list)")
	fl.BoolVar(&f.migrate, "migrate", false, "write a legacy (v1) compose file in the current format, as compose.yaml beside it")
	fl.BoolVar(&f.dryRun, "dry-run", false, "with --migrate: print the converted file instead of writing it")
	fl.BoolVar(&f.force, "force", false, "with --migrate: overwrite an existing compose.yaml")
	return cmd
}

// migrate writes each legacy file's conversion next to it; it never
// overwrites a file unless asked, and never touches the legacy file.
func migrate(g *globals, p *stack.Project, f configFlags) error {
	files, err := stack.MigrateFiles(p)
	if errors.Is(err, stack.ErrNotLegacy) {
		fmt.Fprintln(g.stderr, "nothing to migrate: the compose files are already in the current format")
		return nil
	}
	if err != nil {
		return err
	}
	for _, m := range files {
		if f.dryRun {
			fmt.Fprintf(g.stdout, "# %s\n%s\n", m.Target, bytes.TrimRight(m.Content, "\n"))
			continue
		}
		if _, err := os.Stat(m.Target); err == nil && !f.force {
			return fmt.Errorf("migrate %s: %s already exists (use --force to overwrite, or --dry-run to print)", m.Source, m.Target)
		}
		if err := os.WriteFile(m.Target, m.Content, 0o644); err != nil {
			return fmt.Errorf("migrate %s: %w", m.Source, err)
		}
		fmt.Fprintf(g.stderr, "wrote %s (converted from %s); check it, then remove the old file so compose picks the new one\n", m.Target, m.Source)
	}
	return nil
}
