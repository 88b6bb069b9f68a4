package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/devstack/devstack/stack"
)

type lsFlags struct {
	all     bool
	quiet   bool
	format  string
	filters []string
}

func newLsCmd(g *globals) *cobra.Command {
	var f lsFlags
	cmd := &cobra.Command{
		Use:   "ls [flags]",
		Short: "List the compose projects on the engine",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			names, err := lsNameFilters(f.filters)
			if err != nil {
				return err
			}
			f.format = strings.ToLower(f.format) // as compose reads it
			if f.format != "table" && f.format != "json" && f.format != "" {
				return fmt.Errorf("ls --format %q: want table or json", f.format)
			}
			ctx := cmd.Context()
			e, err := g.connect(ctx)
			if err != nil {
				return err
			}
			defer e.Close()
			list, err := e.ListProjects(ctx, stack.ListOptions{All: f.all, Names: names})
			if err != nil {
				return err
			}
			return printLs(g.stdout, list, f)
		},
	}
	fl := cmd.Flags()
	fl.BoolVarP(&f.all, "all", "a", false, "show all projects, also those with only stopped containers")
	fl.BoolVarP(&f.quiet, "quiet", "q", false, "only display project names")
	fl.StringVar(&f.format, "format", "table", "table or json")
	fl.StringArrayVar(&f.filters, "filter", nil, "filter output by name=NAME (exact or regular expression)")
	return cmd
}

// lsNameFilters reads --filter values; compose accepts only name=….
func lsNameFilters(filters []string) ([]string, error) {
	var names []string
	for _, f := range filters {
		key, value, ok := strings.Cut(f, "=")
		if !ok {
			return nil, fmt.Errorf("ls --filter %q: want name=VALUE", f)
		}
		if strings.TrimSpace(key) != "name" {
			return nil, fmt.Errorf("ls --filter %q: invalid filter '%s' (only name=… is supported)", f, key)
		}
		names = append(names, value)
	}
	return names, nil
}

// lsRow is one project as compose's ls prints it, field names and all.
type lsRow struct {
	Name        string
	Status      string
	ConfigFiles string
}

func printLs(w io.Writer, list []stack.ProjectSummary, f lsFlags) error {
	if f.quiet {
		for _, p := range list {
			fmt.Fprintln(w, p.Name)
		}
		return nil
	}
	rows := make([]lsRow, len(list))
	for i, p := range list {
		files := strings.Join(p.ConfigFiles, ",")
		if p.ConfigFiles == nil {
			files = "N/A"
		}
		rows[i] = lsRow{Name: p.Name, Status: p.Status, ConfigFiles: files}
	}
	if f.format == "json" {
		// Compose prints one JSON array, HTML left unescaped.
		var buf bytes.Buffer
		enc := json.NewEncoder(&buf)
		enc.SetEscapeHTML(false)
		if err := enc.Encode(rows); err != nil {
			return err
		}
		_, err := w.Write(buf.Bytes())
		return err
	}
	tw := tabwriter.NewWriter(w, 20, 1, 3, ' ', 0)
	fmt.Fprintln(tw, "NAME\tSTATUS\tCONFIG FILES")
	for _, r := range rows {
		fmt.Fprintf(tw, "%s\t%s\t%s\n", r.Name, r.Status, r.ConfigFiles)
	}
	return tw.Flush()
}
