package stack

import (
	"context"
	"fmt"
	"sort"

	"github.com/moby/moby/api/types/container"
	"github.com/moby/moby/client"
)

// The lifecycle verbs for a stack attached by name, without its compose
// file: the services, their containers and their dependency order all come
// from the containers' labels, as down does. Dependency conditions are not
// waited on (the conditions' healthchecks live in the file).

// labelServices is a project's containers grouped by service.
type labelServices map[string][]container.Summary

// observeByLabels lists the project's containers by their labels.
func (e *Engine) observeByLabels(ctx context.Context, project string) (labelServices, error) {
	if project == "" {
		return nil, ErrNoProject
	}
	list, err := e.listForDown(ctx, project)
	if err != nil {
		return nil, err
	}
	byService := labelServices{}
	for _, s := range list {
		if s.Labels[labelOneOff] == "True" {
			continue
		}
		byService[s.Labels[labelService]] = append(byService[s.Labels[labelService]], s)
	}
	return byService, nil
}

// selected is the graph of the chosen services (all when none is named),
// widened by expand; an unknown name is ErrUnknownService.
func (ls labelServices) selected(names []string, expand func(depGraph, string) []string) (depGraph, error) {
	all := labelGraph(ls)
	if len(names) == 0 {
		return all, nil
	}
	keep := map[string]bool{}
	var add func(string)
	add = func(name string) {
		if keep[name] {
			return
		}
		keep[name] = true
		for _, n := range expand(all, name) {
			add(n)
		}
	}
	for _, n := range names {
		if _, ok := ls[n]; !ok {
			return nil, fmt.Errorf("%w %q: the project's containers belong to %v", ErrUnknownService, n, sortedKeys(ls))
		}
		add(n)
	}
	g := depGraph{}
	for name := range keep {
		for _, d := range all[name] {
			if keep[d] {
				g[name] = append(g[name], d)
			}
		}
		if _, ok := g[name]; !ok {
			g[name] = nil
		}
	}
	return g, nil
}

func dependenciesOf(g depGraph, name string) []string { return g[name] }

func onlyItself(depGraph, string) []string { return nil }

// restartDependents are the services that declared `restart: true` on
// name, which Compose restarts with it.
func (ls labelServices) restartDependents(_ depGraph, name string) []string {
	var out []string
	for svc, cs := range ls {
		for _, d := range parseDependsOnLabel(cs[0].Labels[labelDependsOn]) {
			if d.Service == name && d.Restart {
				out = append(out, svc)
			}
		}
	}
	sort.Strings(out)
	return out
}

// lifecycleByLabels runs start, stop or restart without a compose file.
func (e *Engine) lifecycleByLabels(ctx context.Context, verb string, opts LifecycleOptions) error {
	ls, err := e.observeByLabels(ctx, opts.ProjectName)
	if err != nil {
		return fmt.Errorf("%s %s: %w", verb, opts.ProjectName, err)
	}
	expand := map[string]func(depGraph, string) []string{
		"start": dependenciesOf, "stop": onlyItself, "restart": ls.restartDependents,
	}[verb]
	g, err := ls.selected(opts.Services, expand)
	if err != nil {
		return fmt.Errorf("%s %s: %w", verb, opts.ProjectName, err)
	}
	act := func(ctx context.Context, svc string) error {
		return eachSummary(ls[svc], func(s container.Summary) error {
			return e.actOnContainer(ctx, verb, svc, observedFromSummary(s), opts)
		})
	}
	return g.walk(ctx, verb == "stop", act)
}

// actOnContainer does one verb to one container, skipping what is already
// in the wanted state.
func (e *Engine) actOnContainer(ctx context.Context, verb, svc string, o observed, opts LifecycleOptions) error {
	running := o.State == container.StateRunning || o.State == container.StateRestarting || o.State == container.StatePaused
	switch verb {
	case "start":
		if running {
			return nil
		}
		return e.startContainer(ctx, o, svc, false, opts.Progress)
	case "stop":
		if !running {
			return nil
		}
		return e.stopContainer(ctx, o, svc, opts.Timeout, opts.Progress)
	}
	opts.Progress.report(Progress{Kind: ProgressStarting, Service: svc, Subject: o.Name, Text: "restarting"})
	if _, err := e.api.ContainerRestart(ctx, o.ID, client.ContainerRestartOptions{Timeout: stopSeconds(opts.Timeout)}); err != nil {
		return fmt.Errorf("restart %s: %w", o.Name, engineErr(err))
	}
	opts.Progress.report(Progress{Kind: ProgressStarted, Service: svc, Subject: o.Name})
	return nil
}
