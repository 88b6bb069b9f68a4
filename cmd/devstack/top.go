package main

import (
	"context"
	"fmt"
	"io"
	"slices"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/devstack/devstack/stack"
)

func newTopCmd(g *globals) *cobra.Command {
	return &cobra.Command{
		Use:   "top [SERVICE...]",
		Short: "Display the running processes of the services' containers",
		RunE: g.onProject(false, func(ctx context.Context, e *stack.Engine, name string, p *stack.Project, services []string) error {
			procs, err := e.Top(ctx, name, p, services)
			if err != nil {
				return err
			}
			return printTop(g.stdout, procs)
		}),
	}
}

// printTop prints one table for all containers, as compose does: SERVICE
// and # (the replica) first, then the columns ps gave, CMD last.
func printTop(w io.Writer, procs []stack.Processes) error {
	columns := []string{"SERVICE", "#"}
	index := map[string]bool{}
	var rows []map[string]string
	for _, c := range procs {
		for _, proc := range c.Processes {
			row := map[string]string{"SERVICE": c.Service, "#": c.Replica}
			for i, title := range c.Titles {
				if !index[title] {
					index[title] = true
					columns = append(columns, title)
				}
				if i < len(proc) {
					row[title] = proc[i]
				}
			}
			rows = append(rows, row)
		}
	}
	if len(rows) == 0 {
		return nil
	}
	if index["CMD"] {
		columns = append(slices.DeleteFunc(columns, func(c string) bool { return c == "CMD" }), "CMD")
	}
	tw := tabwriter.NewWriter(w, 4, 1, 2, ' ', 0)
	fmt.Fprintln(tw, strings.Join(columns, "\t"))
	for _, row := range rows {
		cells := make([]string, len(columns))
		for i, col := range columns {
			v, ok := row[col]
			if !ok {
				v = "-"
			}
			cells[i] = v
		}
		fmt.Fprintln(tw, strings.Join(cells, "\t"))
	}
	return tw.Flush()
}
