package main

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"strconv"

	"github.com/spf13/cobra"
	"golang.org/x/term"

	"github.com/devstack/devstack/stack"
)

type statsFlags struct {
	noStream bool
	noTrunc  bool
	format   string
}

// statsFormat is `docker stats`' table and JSON shape, which compose uses.
var statsFormat = rowFormat{
	defaultTable: "table {{.ID}}\t{{.Name}}\t{{.CPUPerc}}\t{{.MemUsage}}\t{{.MemPerc}}\t{{.NetIO}}\t{{.BlockIO}}\t{{.PIDs}}",
	headers: map[string]string{"Container": "CONTAINER", "Name": "NAME", "ID": "CONTAINER ID", "CPUPerc": "CPU %",
		"MemUsage": "MEM USAGE / LIMIT", "MemPerc": "MEM %", "NetIO": "NET I/O", "BlockIO": "BLOCK I/O", "PIDs": "PIDS"},
}

func newStatsCmd(g *globals) *cobra.Command {
	var f statsFlags
	cmd := &cobra.Command{
		Use:   "stats [flags] [SERVICE]",
		Short: "Display a live stream of the containers' resource usage",
		Args:  cobra.MaximumNArgs(1),
		RunE: g.onProject(false, func(ctx context.Context, e *stack.Engine, name string, p *stack.Project, services []string) error {
			if err := e.CheckServices(ctx, name, p, services); err != nil {
				return fmt.Errorf("stats %s: %w", name, err)
			}
			running, err := e.Ps(ctx, name, stack.PsOptions{Services: services})
			if err != nil {
				return err
			}
			if len(running) == 0 {
				return nil
			}
			clear := !f.noStream && isTerminalFile(g.stdout)
			rounds := 0
			for batch := range e.Stats(ctx, name, stack.StatsOptions{Services: services}) {
				// A container's first sample may come a round later (API
				// path); paused ones never come.
				if rounds++; f.noStream && len(batch) < len(running) && rounds < 3 {
					continue
				}
				if err := printStats(g, batch, f, clear); err != nil || f.noStream {
					return err
				}
			}
			return nil
		}),
	}
	fl := cmd.Flags()
	fl.BoolVar(&f.noStream, "no-stream", false, "print the first sample and exit")
	fl.BoolVar(&f.noTrunc, "no-trunc", false, "do not truncate IDs")
	fl.StringVar(&f.format, "format", "", "table (default), json, 'table TEMPLATE' or 'TEMPLATE' (fields as docker stats)")
	return cmd
}

func printStats(g *globals, batch []stack.Stats, f statsFlags, clear bool) error {
	rows := make([]map[string]string, len(batch))
	for i, s := range batch {
		rows[i] = statsRow(s, !f.noTrunc)
	}
	var buf bytes.Buffer
	if clear {
		buf.WriteString("\033[H\033[J") // redraw in place, as docker stats does
	}
	if err := statsFormat.print(&buf, f.format, rows); err != nil {
		return err
	}
	_, err := g.stdout.Write(buf.Bytes())
	return err
}

// statsRow is one container's sample with docker stats' fields and text.
func statsRow(s stack.Stats, trunc bool) map[string]string {
	id := s.ContainerID
	if trunc {
		id = shortID(id)
	}
	memPerc := 0.0
	if s.MemoryLimit > 0 {
		memPerc = float64(s.MemoryUsage) / float64(s.MemoryLimit) * 100
	}
	percent := func(v float64) string { return strconv.FormatFloat(v, 'f', 2, 64) + "%" }
	return map[string]string{
		"Container": s.ContainerID,
		"ID":        id,
		"Name":      s.Name,
		"CPUPerc":   percent(s.CPUPercent),
		"MemUsage":  binarySize(float64(s.MemoryUsage)) + " / " + binarySize(float64(s.MemoryLimit)),
		"MemPerc":   percent(memPerc),
		"NetIO":     decimalSize(float64(s.NetRx)) + " / " + decimalSize(float64(s.NetTx)),
		"BlockIO":   decimalSize(float64(s.BlockRead)) + " / " + decimalSize(float64(s.BlockWrite)),
		"PIDs":      strconv.FormatUint(s.Pids, 10),
	}
}

// isTerminalFile reports whether w is a terminal.
func isTerminalFile(w any) bool {
	f, ok := w.(*os.File)
	return ok && term.IsTerminal(int(f.Fd()))
}
