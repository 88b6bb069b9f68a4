package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/devstack/devstack/stack"
)

func newEventsCmd(g *globals) *cobra.Command {
	var f eventsFlags
	cmd := &cobra.Command{
		Use:   "events [flags] [SERVICE...]",
		Short: "Stream the events of the services' containers",
		RunE: g.onProject(false, func(ctx context.Context, e *stack.Engine, name string, p *stack.Project, services []string) error {
			if err := e.CheckServices(ctx, name, p, services); err != nil {
				return fmt.Errorf("events %s: %w", name, err)
			}
			since, until, err := f.window(time.Now())
			if err != nil {
				return err
			}
			if !until.IsZero() {
				// The engine's history is replayed at once: a past until
				// only needs a moment for it.
				var cancel context.CancelFunc
				ctx, cancel = context.WithDeadline(ctx, later(until, time.Now().Add(time.Second)))
				defer cancel()
			}
			for batch := range e.EventsSince(ctx, name, since) {
				for _, ev := range batch {
					if ev.ContainerID == "" || ev.OneOff || len(services) > 0 && !slices.Contains(services, ev.Service) ||
						!until.IsZero() && ev.Time.After(until) {
						continue
					}
					if err := printEvent(g.stdout, ev, f.json); err != nil {
						return err
					}
				}
			}
			return nil
		}),
	}
	cmd.Flags().BoolVar(&f.json, "json", false, "output events as a stream of json objects")
	cmd.Flags().StringVar(&f.since, "since", "", "show the events since a time (2026-01-02T15:04:05Z) or a duration ago (10m)")
	cmd.Flags().StringVar(&f.until, "until", "", "stream events until a time or a duration ago, then exit")
	return cmd
}

type eventsFlags struct {
	json         bool
	since, until string
}

// window reads --since and --until (zero times when not given).
func (f eventsFlags) window(now time.Time) (since, until time.Time, err error) {
	if f.since != "" {
		if since, err = parseSince(f.since, now); err != nil {
			return since, until, fmt.Errorf("events: %w", err)
		}
	}
	if f.until != "" {
		if until, err = parseSince(f.until, now); err != nil {
			return since, until, fmt.Errorf("events --until %q: want a time like 2026-01-02T15:04:05Z or a duration ago like 42m", f.until)
		}
	}
	return since, until, nil
}

func later(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}

// printEvent writes one event as compose does: a line of text, or a JSON
// object with compose's keys.
func printEvent(w io.Writer, ev stack.Event, asJSON bool) error {
	attrs := ev.Attributes
	if attrs == nil {
		attrs = map[string]string{}
	}
	if asJSON {
		b, err := json.Marshal(map[string]any{"time": ev.Time, "type": "container", "service": ev.Service,
			"id": ev.ContainerID, "action": ev.Action, "attributes": attrs})
		if err != nil {
			return err
		}
		_, err = fmt.Fprintln(w, string(b))
		return err
	}
	var pairs []string
	for _, k := range slices.Sorted(maps.Keys(attrs)) {
		pairs = append(pairs, k+"="+attrs[k])
	}
	_, err := fmt.Fprintf(w, "%s container %s %s (%s)\n\n", ev.Time.Format("2006-01-02 15:04:05.000000"),
		ev.Action, ev.ContainerID, strings.Join(pairs, ", "))
	return err
}
