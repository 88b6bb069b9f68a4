package main

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/devstack/devstack/stack"
)

type upFlags struct {
	detach        bool
	build         bool
	noBuild       bool
	forceRecreate bool
	noRecreate    bool
	removeOrphans bool
	wait          bool
	scale         []string
	timeout       int
	waitTimeout   int
	pull          string
	ignorePull    bool
	watch         bool
}

func newUpCmd(g *globals) *cobra.Command {
	var f upFlags
	cmd := &cobra.Command{
		Use:   "up [flags] [SERVICE...]",
		Short: "Build, create and start the stack, then open the dashboard (-d: return when it is up)",
		RunE: func(cmd *cobra.Command, services []string) error {
			return runUp(cmd, g, f, services)
		},
	}
	fl := cmd.Flags()
	fl.BoolVarP(&f.detach, "detach", "d", false, "start the stack and return (no dashboard)")
	f.addConvergeFlags(fl)
	fl.BoolVar(&f.wait, "wait", false, "wait for services to be running and healthy")
	fl.IntVarP(&f.timeout, "timeout", "t", -1, "shutdown timeout in seconds for replaced containers (default: the service's stop_grace_period)")
	fl.IntVar(&f.waitTimeout, "wait-timeout", 0, "maximum seconds to wait for dependencies and --wait (0: no limit)")
	fl.StringVar(&f.pull, "pull", "policy", `pull images before running ("always"|"missing"|"never"|"build"; "policy": each service's pull_policy)`)
	fl.BoolVar(&f.ignorePull, "ignore-pull-failures", false, "start with the images there are when a pull fails")
	fl.BoolVarP(&f.watch, "watch", "w", false, "watch develop.watch paths: sync, restart or rebuild as files change")
	return cmd
}

// addConvergeFlags adds the flags up and create share.
func (f *upFlags) addConvergeFlags(fl *pflag.FlagSet) {
	fl.BoolVar(&f.build, "build", false, "build images before starting containers")
	fl.BoolVar(&f.noBuild, "no-build", false, "don't build an image, even if it is missing")
	fl.BoolVar(&f.forceRecreate, "force-recreate", false, "recreate containers even if their configuration has not changed")
	fl.BoolVar(&f.noRecreate, "no-recreate", false, "if containers already exist, don't recreate them")
	fl.BoolVar(&f.removeOrphans, "remove-orphans", false, "remove containers for services not defined in the compose file")
	fl.StringArrayVar(&f.scale, "scale", nil, "scale SERVICE to NUM instances (SERVICE=NUM, repeatable)")
}

func runUp(cmd *cobra.Command, g *globals, f upFlags, services []string) error {
	ctx := cmd.Context()
	if f.build && f.noBuild {
		return fmt.Errorf("up: --build and --no-build are mutually exclusive")
	}
	if err := checkUpWatch(f); err != nil {
		return err
	}
	scale, err := parseScale(f.scale)
	if err != nil {
		return err
	}
	p, e, err := g.loadAndConnect(ctx, services)
	if err != nil {
		return err
	}
	defer e.Close()
	// On a terminal, builds show one line per step, as build --progress auto.
	progress, _ := newBuildProgress(g, g.stderr, "auto")
	opts := f.withPull(stack.UpOptions{
		Services:      services,
		Build:         f.build,
		NoBuild:       f.noBuild,
		ForceRecreate: f.forceRecreate,
		NoRecreate:    f.noRecreate,
		RemoveOrphans: f.removeOrphans,
		Scale:         scale,
		Wait:          f.wait,
		Timeout:       time.Duration(f.waitTimeout) * time.Second,
		StopTimeout:   stopTimeout(f.timeout),
		Progress:      progress,
	})
	g.watch = f.watch
	if !f.detach && isTerminal() {
		return upBehindScreen(ctx, g, e, p, opts)
	}
	err = e.Up(ctx, p, opts)
	if err != nil {
		return reportInterrupted(ctx, g.stderr, e, p, err)
	}
	if f.detach {
		return nil
	}
	if !isTerminal() {
		// Without a terminal there is no screen to open: attach to the
		// logs as docker compose up does, until interrupted.
		fmt.Fprintf(g.stderr, "no terminal for the dashboard: following the logs (ctrl+c stops following; the stack keeps running)\n")
		if f.watch {
			return followAndWatch(ctx, g, e, p, services, newProgressPrinter(g, g.stderr))
		}
		return followLogs(ctx, e, p.Name, stack.LogsOptions{Services: services, Follow: true, Tail: 0}, newLogPrinter(g, false, false))
	}
	return runScreen(ctx, g, e, p, p.Name)
}

// withPull adds the --pull and --ignore-pull-failures flags to an up.
func (f upFlags) withPull(o stack.UpOptions) stack.UpOptions {
	if f.pull != "policy" {
		o.Pull = f.pull
	}
	o.IgnorePullFailures = f.ignorePull
	return o
}

// stopTimeout turns a -t flag into an override; negative means none.
func stopTimeout(secs int) *time.Duration {
	if secs < 0 {
		return nil
	}
	d := time.Duration(secs) * time.Second
	return &d
}

// parseScale reads --scale SERVICE=NUM flags.
func parseScale(flags []string) (map[string]int, error) {
	if len(flags) == 0 {
		return nil, nil
	}
	out := map[string]int{}
	for _, s := range flags {
		name, num, ok := strings.Cut(s, "=")
		n, err := strconv.Atoi(num)
		if !ok || err != nil || n < 0 || name == "" {
			return nil, fmt.Errorf("--scale %q: want SERVICE=NUM with NUM >= 0", s)
		}
		out[name] = n
	}
	return out, nil
}
