package main

import (
	"fmt"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"github.com/devstack/devstack/stack"
)

type psFlags struct {
	all      bool
	quiet    bool
	services bool
	format   string
	status   []string
}

func newPsCmd(g *globals) *cobra.Command {
	var f psFlags
	cmd := &cobra.Command{
		Use:   "ps [flags] [SERVICE...]",
		Short: "List the stack's containers",
		RunE: func(cmd *cobra.Command, services []string) error {
			ctx := cmd.Context()
			p, name, e, err := g.openFor(ctx, false, services)
			if err != nil {
				return err
			}
			defer e.Close()
			cs, err := e.Ps(ctx, name, stack.PsOptions{All: f.all || len(f.status) > 0, Services: services})
			if err != nil {
				return err
			}
			cs = filterStatus(cs, f.status)
			return printPs(g, cs, f, configuredStages(p, cs), time.Now())
		},
	}
	fl := cmd.Flags()
	fl.BoolVarP(&f.all, "all", "a", false, "show all containers, also stopped ones")
	fl.BoolVarP(&f.quiet, "quiet", "q", false, "only display IDs")
	fl.BoolVar(&f.services, "services", false, "display services")
	fl.StringVar(&f.format, "format", "table", "table or json")
	fl.StringArrayVar(&f.status, "status", nil, "filter by state (running, exited, created, ...)")
	return cmd
}

func filterStatus(cs []stack.Container, states []string) []stack.Container {
	if len(states) == 0 {
		return cs
	}
	var out []stack.Container
	for _, c := range cs {
		for _, s := range states {
			if string(c.State) == s {
				out = append(out, c)
			}
		}
	}
	return out
}

// configuredStages are the stages the compose file builds each service
// at, to show next to the stage a container runs (none without a file).
func configuredStages(p *stack.Project, cs []stack.Container) map[string]string {
	out := map[string]string{}
	if p == nil {
		return out
	}
	for _, c := range cs {
		if _, done := out[c.Service]; !done {
			out[c.Service] = stack.ConfiguredStage(p, c.Service)
		}
	}
	return out
}

// stageText is the stage a container runs, with the compose file's stage
// when it differs (after a `build --target`).
func stageText(c stack.Container, configured string) string {
	switch {
	case c.Stage == "":
		return "-"
	case configured != "" && configured != c.Stage:
		return c.Stage + " (file: " + configured + ")"
	}
	return c.Stage
}

func printPs(g *globals, cs []stack.Container, f psFlags, configured map[string]string, now time.Time) error {
	switch {
	case f.quiet:
		for _, c := range cs {
			fmt.Fprintln(g.stdout, c.ID)
		}
		return nil
	case f.services:
		seen := map[string]bool{}
		for _, c := range cs {
			if !seen[c.Service] {
				seen[c.Service] = true
				fmt.Fprintln(g.stdout, c.Service)
			}
		}
		return nil
	case f.format == "json":
		return writePsJSON(g.stdout, cs, now)
	case f.format != "table":
		return fmt.Errorf("ps --format %q: want table or json", f.format)
	}
	tw := tabwriter.NewWriter(g.stdout, 0, 4, 3, ' ', 0)
	fmt.Fprintln(tw, "NAME\tIMAGE\tSERVICE\tCREATED\tSTATUS\tPORTS\tSTAGE")
	for _, c := range cs {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\n", c.Name, c.Image, c.Service,
			ago(now.Sub(c.Created)), statusText(c, now), portsText(c.Ports), stageText(c, configured[c.Service]))
	}
	return tw.Flush()
}

// statusText reads like docker's: "Up 3 minutes (healthy)",
// "Exited (137) 5 seconds ago (OOMKilled)".
func statusText(c stack.Container, now time.Time) string {
	var s string
	switch c.State {
	case stack.StateRunning:
		s = "Up " + duration(now.Sub(c.StartedAt))
		if c.Health != stack.HealthNone {
			s += " (" + string(c.Health) + ")"
		}
	case stack.StateRestarting:
		s = fmt.Sprintf("Restarting (%d) %s", c.ExitCode, ago(now.Sub(c.FinishedAt)))
	case stack.StateExited, stack.StateDead:
		s = fmt.Sprintf("Exited (%d) %s", c.ExitCode, ago(now.Sub(c.FinishedAt)))
	case stack.StateCreated:
		s = "Created"
	default:
		s = strings.ToUpper(string(c.State[:1])) + string(c.State[1:])
	}
	if c.OOMKilled {
		s += " (OOMKilled)"
	}
	return s
}

func portsText(ps []stack.Port) string {
	parts := make([]string, len(ps))
	for i, p := range ps {
		parts[i] = p.String()
	}
	return strings.Join(parts, ", ")
}

// duration renders a span the way docker ps does, coarsely.
func duration(d time.Duration) string {
	switch {
	case d < time.Second:
		return "less than a second"
	case d < time.Minute:
		return plural(int(d.Seconds()), "second")
	case d < time.Hour:
		return plural(int(d.Minutes()), "minute")
	case d < 48*time.Hour:
		return plural(int(d.Hours()), "hour")
	}
	return plural(int(d.Hours()/24), "day")
}

func ago(d time.Duration) string { return duration(d) + " ago" }

func plural(n int, unit string) string {
	if n == 1 {
		return "1 " + unit
	}
	return fmt.Sprintf("%d %ss", n, unit)
}
