package stack

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"

	"github.com/compose-spec/compose-go/v2/types"
	"github.com/moby/moby/api/types/container"
	"github.com/moby/moby/client"
)

// portRangeStart serialises the start of containers that publish a host
// port range: the engine picks a free port from the range without a lock,
// so two concurrent starts can pick the same one.
var portRangeStart sync.Mutex

// refreshStates reads the containers' states again after convergence:
// stopping restart dependents and replacing containers changed them.
func (r *upRun) refreshStates(ctx context.Context) error {
	summaries, err := r.e.listProject(ctx, r.model.Name, true)
	if err != nil {
		return fmt.Errorf("up %s: %w", r.model.Name, err)
	}
	states := make(map[string]container.ContainerState, len(summaries))
	for _, s := range summaries {
		states[s.ID] = s.State
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, cs := range r.current {
		for i := range cs {
			if st, ok := states[cs[i].ID]; ok {
				cs[i].State = st
			}
		}
	}
	return nil
}

// startService waits for the service's dependencies to meet their
// depends_on conditions, then starts its containers that are not running.
func (r *upRun) startService(ctx context.Context, name string) error {
	sc := r.model.Services[name]
	if err := r.waitDependencies(ctx, sc); err != nil {
		return fmt.Errorf("up %s: %w", name, err)
	}
	r.mu.Lock()
	cs := r.current[name]
	r.mu.Unlock()
	for _, c := range cs {
		switch c.State {
		case container.StateRunning, container.StateRestarting, container.StatePaused:
			r.progress.report(Progress{Kind: ProgressUpToDate, Service: name, Subject: c.Name, Text: string(c.State)})
			continue
		}
		if err := r.e.startContainer(ctx, c, name, publishesRange(sc), r.progress); err != nil {
			return fmt.Errorf("up %s: %w", name, r.removeUnstarted(ctx, name, c, err))
		}
		if err := r.e.postStart(ctx, c, sc, r.progress); err != nil {
			return fmt.Errorf("up %s: %w", name, err)
		}
		r.changed.Store(true)
	}
	return nil
}

func publishesRange(sc types.ServiceConfig) bool {
	for _, p := range sc.Ports {
		if strings.Contains(p.Published, "-") {
			return true
		}
	}
	return false
}

// waitDependencies waits on each depends_on condition of a service whose
// dependency is part of this up.
func (r *upRun) waitDependencies(ctx context.Context, sc types.ServiceConfig) error {
	for _, dep := range sortedKeys(sc.DependsOn) {
		d := sc.DependsOn[dep]
		depSvc, ok := r.model.Services[dep]
		if !ok || d.Condition == types.ServiceConditionStarted || scaleOf(depSvc) == 0 {
			continue
		}
		ids := r.containerIDs(dep)
		if len(ids) == 0 {
			if d.Required {
				return fmt.Errorf("dependency %s has no container", dep)
			}
			continue
		}
		r.progress.report(Progress{Kind: ProgressWaiting, Service: sc.Name, Subject: dep,
			Text: fmt.Sprintf("waiting for %s to be %s", dep, conditionWords(d.Condition))})
		wctx, cancel := r.withTimeout(ctx)
		err := r.e.waitCondition(wctx, dep, d.Condition, ids)
		cancel()
		if err != nil && d.Required {
			return fmt.Errorf("dependency failed: %w", err)
		}
		if err != nil {
			r.progress.report(Progress{Kind: ProgressWarning, Service: sc.Name, Subject: dep,
				Text: fmt.Sprintf("optional dependency %s failed: %v", dep, err)})
			continue
		}
		kind := ProgressHealthy
		if d.Condition == types.ServiceConditionCompletedSuccessfully {
			kind = ProgressExited
		}
		r.progress.report(Progress{Kind: kind, Service: dep, Subject: dep, Text: conditionWords(d.Condition)})
	}
	return nil
}

func (r *upRun) containerIDs(service string) []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	var ids []string
	for _, c := range r.current[service] {
		ids = append(ids, c.ID)
	}
	return ids
}

// withTimeout bounds a wait by the up's Timeout, when there is one.
func (r *upRun) withTimeout(ctx context.Context) (context.Context, context.CancelFunc) {
	if r.opts.Timeout <= 0 {
		return ctx, func() {}
	}
	return context.WithTimeout(ctx, r.opts.Timeout)
}

// waitAll waits until every service is ready (running, or healthy when it
// has a healthcheck). One-shot services that others wait on to complete
// may have exited, with code 0.
func (r *upRun) waitAll(ctx context.Context) error {
	oneShot := map[string]bool{}
	for _, sc := range r.model.Services {
		for dep, d := range sc.DependsOn {
			if d.Condition == types.ServiceConditionCompletedSuccessfully {
				oneShot[dep] = true
			}
		}
	}
	ctx, cancel := r.withTimeout(ctx)
	defer cancel()
	for _, name := range sortedKeys(r.model.Services) {
		condition := conditionReady
		if oneShot[name] {
			condition = types.ServiceConditionCompletedSuccessfully
		}
		if err := r.e.waitCondition(ctx, name, condition, r.containerIDs(name)); err != nil {
			return fmt.Errorf("up %s: %w", name, err)
		}
	}
	return nil
}

// removeUnstarted removes a container this up created when it could not
// start because its host port is taken: a Created container would only be
// in the way of the next up. Containers that existed before are kept. It
// returns the start error, saying so when the container was removed.
func (r *upRun) removeUnstarted(ctx context.Context, service string, c observed, err error) error {
	if !c.fresh || !errors.Is(err, ErrPortInUse) {
		return err
	}
	// The up's context may be ending with the failure; the clean-up must
	// still happen.
	ctx = context.WithoutCancel(ctx)
	if _, rmErr := r.e.api.ContainerRemove(ctx, c.ID, client.ContainerRemoveOptions{Force: true, RemoveVolumes: true}); rmErr != nil {
		return fmt.Errorf("%w (removing the unstarted container failed too: %v)", err, rmErr)
	}
	r.progress.report(Progress{Kind: ProgressRemoved, Service: service, Subject: c.Name})
	r.mu.Lock()
	r.current[service] = slices.DeleteFunc(r.current[service], func(o observed) bool { return o.ID == c.ID })
	r.mu.Unlock()
	return fmt.Errorf("%w (%s, created by this up, was removed again)", err, c.Name)
}
