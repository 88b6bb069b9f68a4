package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"slices"
	"strings"

	"github.com/spf13/cobra"

	"github.com/devstack/devstack/stack"
)

func newEventsCmd(g *globals) *cobra.Command {
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "events [flags] [SERVICE...]",
		Short: "Stream the events of the services' containers",
		RunE: g.onProject(false, func(ctx context.Context, e *stack.Engine, name string, p *stack.Project, services []string) error {
			if err := e.CheckServices(ctx, name, p, services); err != nil {
				return fmt.Errorf("events %s: %w", name, err)
			}
			for batch := range e.Events(ctx, name) {
				for _, ev := range batch {
					if ev.ContainerID == "" || ev.OneOff || len(services) > 0 && !slices.Contains(services, ev.Service) {
						continue
					}
					if err := printEvent(g.stdout, ev, asJSON); err != nil {
						return err
					}
				}
			}
			return nil
		}),
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "output events as a stream of json objects")
	return cmd
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
