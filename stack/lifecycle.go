package stack

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/compose-spec/compose-go/v2/types"
	"github.com/moby/moby/api/types/container"
	"github.com/moby/moby/client"
)

// LifecycleOptions choose the services Start, Stop and Restart act on.
type LifecycleOptions struct {
	// Services to act on (all when empty).
	Services []string
	// Timeout overrides each container's stop_grace_period.
	Timeout *time.Duration
	// Progress receives each step as it happens.
	Progress ProgressFunc
	// ProjectName names the stack when the project is nil (attached by
	// name, no compose file): the verbs then work from the containers'
	// labels alone.
	ProjectName string
}

// Start, Stop and Restart accept a nil project together with
// opts.ProjectName: they then act from the containers' labels alone
// (lifecycle_labels.go).

// Start starts the existing containers of the services and of what they
// depend on, in dependency order, waiting on depends_on conditions. A
// service without containers fails with ErrNotCreated: use Up.
func (e *Engine) Start(ctx context.Context, p *Project, opts LifecycleOptions) error {
	if p == nil {
		return e.lifecycleByLabels(ctx, "start", opts)
	}
	r, err := e.lifecycleRun(ctx, p, opts, types.IncludeDependencies)
	if err != nil {
		return fmt.Errorf("start %s: %w", p.Name, err)
	}
	for _, name := range sortedKeys(r.model.Services) {
		if len(r.current[name]) == 0 && scaleOf(r.model.Services[name]) > 0 {
			return fmt.Errorf("start %s: %w", name, ErrNotCreated)
		}
	}
	return r.deps.walk(ctx, false, r.startService)
}

// Stop stops the services' running containers, dependents first.
func (e *Engine) Stop(ctx context.Context, p *Project, opts LifecycleOptions) error {
	if p == nil {
		return e.lifecycleByLabels(ctx, "stop", opts)
	}
	r, err := e.lifecycleRun(ctx, p, opts, types.IgnoreDependencies)
	if err != nil {
		return fmt.Errorf("stop %s: %w", p.Name, err)
	}
	return r.deps.walk(ctx, true, func(ctx context.Context, name string) error {
		return r.eachContainer(name, func(c observed) error {
			if c.State != container.StateRunning && c.State != container.StateRestarting && c.State != container.StatePaused {
				return nil
			}
			if err := e.preStop(ctx, c, serviceConfig(p, name), opts.Progress); err != nil {
				return fmt.Errorf("stop %s: %w", name, err)
			}
			return e.stopContainer(ctx, c, name, opts.Timeout, opts.Progress)
		})
	})
}

// Restart restarts the services' containers in dependency order, together
// with the services that declared `restart: true` on them, as Compose does.
func (e *Engine) Restart(ctx context.Context, p *Project, opts LifecycleOptions) error {
	if p == nil {
		return e.lifecycleByLabels(ctx, "restart", opts)
	}
	if p.model == nil {
		return fmt.Errorf("restart %s: project was not loaded with stack.Load", p.Name)
	}
	model, err := p.model.project.WithServicesTransform(func(_ string, s types.ServiceConfig) (types.ServiceConfig, error) {
		for name, d := range s.DependsOn {
			if !d.Restart {
				delete(s.DependsOn, name)
			}
		}
		return s, nil
	})
	if err == nil && len(opts.Services) > 0 {
		model, err = model.WithSelectedServices(opts.Services, types.IncludeDependents)
	}
	if err != nil {
		return fmt.Errorf("restart %s: %w: %w", p.Name, ErrUnknownService, err)
	}
	r, err := e.observeRun(ctx, p, model, opts)
	if err != nil {
		return fmt.Errorf("restart %s: %w", p.Name, err)
	}
	return r.deps.walk(ctx, false, func(ctx context.Context, name string) error {
		if err := r.waitDependencies(ctx, model.Services[name]); err != nil {
			return fmt.Errorf("restart %s: %w", name, err)
		}
		return r.eachContainer(name, func(c observed) error {
			sc := model.Services[name]
			if err := e.preStop(ctx, c, &sc, opts.Progress); err != nil {
				return fmt.Errorf("restart %s: %w", name, err)
			}
			opts.Progress.report(Progress{Kind: ProgressStarting, Service: name, Subject: c.Name, Text: "restarting"})
			if _, err := e.api.ContainerRestart(ctx, c.ID, client.ContainerRestartOptions{Timeout: stopSeconds(opts.Timeout)}); err != nil {
				return fmt.Errorf("restart %s: %w", c.Name, err)
			}
			if err := e.postStart(ctx, c, sc, opts.Progress); err != nil {
				return fmt.Errorf("restart %s: %w", name, err)
			}
			opts.Progress.report(Progress{Kind: ProgressStarted, Service: name, Subject: c.Name})
			return nil
		})
	})
}

// lifecycleRun selects the services and observes their containers.
func (e *Engine) lifecycleRun(ctx context.Context, p *Project, opts LifecycleOptions, deps types.DependencyOption) (*upRun, error) {
	if p.model == nil {
		return nil, fmt.Errorf("project was not loaded with stack.Load")
	}
	model, err := p.model.project.WithSelectedServices(opts.Services, deps)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrUnknownService, err)
	}
	return e.observeRun(ctx, p, model, opts)
}

func (e *Engine) observeRun(ctx context.Context, p *Project, model *types.Project, opts LifecycleOptions) (*upRun, error) {
	r := &upRun{e: e, project: p, model: model, progress: opts.Progress, current: map[string][]observed{}, deps: modelGraph(model)}
	summaries, err := e.listProject(ctx, p.Name, true)
	if err != nil {
		return nil, err
	}
	for _, s := range summaries {
		svc := s.Labels[labelService]
		if _, ok := model.Services[svc]; ok {
			r.current[svc] = append(r.current[svc], observedFromSummary(s))
		}
	}
	return r, nil
}

// eachContainer runs fn on every container of a service concurrently.
func (r *upRun) eachContainer(service string, fn func(observed) error) error {
	r.mu.Lock()
	cs := r.current[service]
	r.mu.Unlock()
	errs := make([]error, len(cs))
	var wg sync.WaitGroup
	for i, c := range cs {
		wg.Go(func() { errs[i] = fn(c) })
	}
	wg.Wait()
	return errors.Join(errs...)
}
