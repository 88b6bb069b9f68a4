package main

import (
	"context"
	"fmt"
	"time"

	"github.com/spf13/cobra"

	"github.com/devstack/devstack/stack"
)

type logsFlags struct {
	follow     bool
	tail       string
	since      string
	timestamps bool
	noPrefix   bool
}

func newLogsCmd(g *globals) *cobra.Command {
	var f logsFlags
	cmd := &cobra.Command{
		Use:   "logs [flags] [SERVICE...]",
		Short: "Show the services' logs, merged, with a coloured prefix per container",
		RunE: func(cmd *cobra.Command, services []string) error {
			ctx := cmd.Context()
			opts, err := f.options(services, time.Now())
			if err != nil {
				return err
			}
			_, name, e, err := g.openFor(ctx, false, services)
			if err != nil {
				return err
			}
			defer e.Close()
			return followLogs(ctx, e, name, opts, newLogPrinter(g, f.timestamps, f.noPrefix))
		},
	}
	fl := cmd.Flags()
	fl.BoolVarP(&f.follow, "follow", "f", false, "follow log output")
	fl.StringVarP(&f.tail, "tail", "n", "all", "number of lines to show from the end of each container's log")
	fl.StringVar(&f.since, "since", "", "show logs since a timestamp (2026-01-02T15:04:05Z) or a relative time (42m)")
	fl.BoolVarP(&f.timestamps, "timestamps", "t", false, "show timestamps")
	fl.BoolVar(&f.noPrefix, "no-log-prefix", false, "don't print the container prefix")
	return cmd
}

// followLogs prints a project's logs until the stream ends (or ctx does).
func followLogs(ctx context.Context, e *stack.Engine, project string, opts stack.LogsOptions, lp *logPrinter) error {
	lines, err := e.Logs(ctx, project, opts)
	if err != nil {
		return err
	}
	for batch := range lines {
		lp.print(batch)
	}
	return nil
}

func (f logsFlags) options(services []string, now time.Time) (stack.LogsOptions, error) {
	opts := stack.LogsOptions{Services: services, Follow: f.follow, Tail: -1}
	if f.tail != "all" && f.tail != "" {
		var n int
		if _, err := fmt.Sscan(f.tail, &n); err != nil || n < 0 {
			return opts, fmt.Errorf("logs --tail %q: want a number or all", f.tail)
		}
		opts.Tail = n
	}
	if f.since != "" {
		t, err := parseSince(f.since, now)
		if err != nil {
			return opts, err
		}
		opts.Since = t
	}
	return opts, nil
}

// parseSince accepts RFC 3339 times, dates and Go durations (ago).
func parseSince(s string, now time.Time) (time.Time, error) {
	if d, err := time.ParseDuration(s); err == nil {
		return now.Add(-d), nil
	}
	for _, layout := range []string{time.RFC3339Nano, time.RFC3339, "2006-01-02T15:04:05", "2006-01-02"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t, nil
		}
	}
	return time.Time{}, fmt.Errorf("--since %q: want a time like 2026-01-02T15:04:05Z or a duration like 42m", s)
}
