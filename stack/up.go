package stack

import (
	"context"
	"fmt"
	"sync"
	"sync/atomic"
	"time"

	"github.com/compose-spec/compose-go/v2/types"
	"github.com/moby/moby/api/types/container"
)

// UpOptions shape an up the way `docker compose up -d`'s flags do.
type UpOptions struct {
	// Services restricts the up to these services and what they depend on
	// (all services when empty).
	Services []string
	// ForceRecreate replaces the named services' containers even when they
	// are up to date; NoRecreate keeps existing containers even when they
	// are not.
	ForceRecreate, NoRecreate bool
	// Build builds every service that has a build section first; NoBuild
	// never builds, even when an image is missing.
	NoBuild, Build bool
	// RemoveOrphans removes containers of services no longer in the
	// project; without it they are reported and kept.
	RemoveOrphans bool
	// Scale overrides the number of containers of some services.
	Scale map[string]int
	// Wait waits until every service is running, or healthy when it has a
	// healthcheck, before returning.
	Wait bool
	// Timeout bounds each wait on a depends_on condition and the final
	// Wait (no limit when zero), like compose's --wait-timeout.
	Timeout time.Duration
	// StopTimeout overrides the stop_grace_period of the containers up
	// stops (replaced, scaled down, orphans), like compose's up --timeout.
	StopTimeout *time.Duration
	// Pull overrides every service's pull_policy ("always", "missing",
	// "never", "build"; empty keeps each service's), like compose's --pull.
	Pull string
	// IgnorePullFailures goes on when a pull fails, with the images there
	// are (compose's --ignore-pull-failures).
	IgnorePullFailures bool
	// Progress receives each step as it happens.
	Progress ProgressFunc
	// NoStart creates and recreates containers without starting them
	// (`docker compose create`).
	NoStart bool
}

// Up converges the engine to the project: it creates missing networks and
// volumes, builds missing images, creates, recreates, keeps or removes
// containers, and starts them in dependency order, waiting on depends_on
// conditions. Up-to-date containers are not touched. On failure, services
// already running are left running and the error names the service, the
// reason and the failed container's last log lines (see ServiceError).
func (e *Engine) Up(ctx context.Context, p *Project, opts UpOptions) error {
	return e.up(ctx, p, opts, false)
}

// Recreate replaces the containers of one service, leaving its
// dependencies as they are, then restarts the services that declared
// `restart: true` on it: what a rebuild of that service needs.
func (e *Engine) Recreate(ctx context.Context, p *Project, service string, opts UpOptions) error {
	if p == nil {
		return fmt.Errorf("recreate %s: %w", service, ErrNoProject)
	}
	if _, ok := p.Service(service); !ok || p.model == nil {
		return fmt.Errorf("recreate %s: %w", service, ErrUnknownService)
	}
	opts.Services = []string{service}
	opts.ForceRecreate, opts.NoRecreate = true, false
	if err := e.up(ctx, p, opts, true); err != nil {
		return err
	}
	full := p.model.project
	dependents := full.GetDependentsForService(full.Services[service], func(d types.ServiceDependency) bool { return d.Restart })
	if len(dependents) == 0 {
		return nil
	}
	return e.Restart(ctx, p, LifecycleOptions{Services: dependents, Progress: opts.Progress})
}

// upRun is the state of one up.
type upRun struct {
	e        *Engine
	project  *Project
	model    *types.Project
	opts     UpOptions
	progress ProgressFunc
	api      string
	networks map[string]string // key → engine ID
	images   map[string]string // service → image ID
	observed map[string][]observed
	deps     depGraph

	// imageStages are the stages the services' images were built from
	// (stageLabel), to warn when one differs from the compose file.
	imageStages map[string]string
	// changed is set once anything is created, replaced, removed or started.
	changed atomic.Bool

	mu sync.Mutex
	// current are the containers of each service after convergence.
	current map[string][]observed
}

func (e *Engine) up(ctx context.Context, p *Project, opts UpOptions, noDeps bool) error {
	if err := checkPolicyOverride(opts.Pull); err != nil {
		return fmt.Errorf("up %s: --pull: %w", p.Name, err)
	}
	model, err := upModel(p, opts, noDeps)
	if err != nil {
		return fmt.Errorf("up %s: %w", p.Name, err)
	}
	r := &upRun{e: e, project: p, model: model, opts: opts, progress: opts.Progress,
		api: e.api.ClientVersion(), current: map[string][]observed{}, deps: modelGraph(model)}
	if err := r.prepare(ctx); err != nil {
		return err
	}
	if err := r.deps.walk(ctx, false, r.convergeService); err != nil {
		return err
	}
	if err := r.refreshStates(ctx); err != nil {
		return err
	}
	if opts.NoStart {
		return nil
	}
	if err := r.deps.walk(ctx, false, r.startService); err != nil {
		return err
	}
	if opts.Wait {
		if err := r.waitAll(ctx); err != nil {
			return err
		}
	}
	if !r.changed.Load() {
		r.progress.report(Progress{Kind: ProgressUpToDate, Subject: p.Name, Text: "the stack is up to date; nothing to do"})
	}
	return nil
}

// upModel selects the services an up acts on, with their dependencies
// unless noDeps.
func upModel(p *Project, opts UpOptions, noDeps bool) (*types.Project, error) {
	if p.model == nil || p.model.project == nil {
		return nil, fmt.Errorf("project %s was not loaded with stack.Load", p.Name)
	}
	var fns []types.DependencyOption
	if noDeps {
		fns = append(fns, types.IgnoreDependencies)
	}
	model, err := p.model.project.WithSelectedServices(opts.Services, fns...)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrUnknownService, err)
	}
	model = model.WithoutUnresolvedOptionalDependencies()
	if err := model.CheckContainerNameUnicity(); err != nil {
		return nil, err
	}
	for name, n := range opts.Scale {
		sc, ok := model.Services[name]
		if !ok {
			return nil, fmt.Errorf("scale %s: %w", name, ErrUnknownService)
		}
		model.Services[name] = withScale(sc, n)
	}
	for _, sc := range model.Services {
		if sc.ContainerName != "" && scaleOf(sc) > 1 {
			return nil, fmt.Errorf("service %s has container_name %s and cannot be scaled to %d", sc.Name, sc.ContainerName, scaleOf(sc))
		}
	}
	return model, nil
}

func withScale(sc types.ServiceConfig, n int) types.ServiceConfig {
	sc.Scale = &n
	if sc.Deploy != nil {
		d := *sc.Deploy
		d.Replicas = &n
		sc.Deploy = &d
	}
	return sc
}

// modelGraph is the dependency graph of the selected services.
func modelGraph(model *types.Project) depGraph {
	g := depGraph{}
	for name, sc := range model.Services {
		g[name] = sortedKeys(sc.DependsOn)
	}
	return g
}

// prepare observes the project's containers, deals with orphans and makes
// sure networks, volumes and images are there.
func (r *upRun) prepare(ctx context.Context) error {
	var orphans []observed
	var err error
	// A killed up (ours or compose's) may have left replacements under
	// their temporary names: finish or undo those recreates first.
	repair := func(cs []container.Summary) ([]container.Summary, error) {
		return r.e.recoverInterrupted(ctx, r.model.Name, cs, r.progress)
	}
	r.observed, orphans, err = observeProject(ctx, r.e, r.project, r.model.Name, repair)
	if err != nil {
		return fmt.Errorf("up %s: %w", r.model.Name, err)
	}
	// Images first, as compose does: a failed pull must leave nothing
	// created or replaced.
	if r.images, err = r.ensureImages(ctx); err != nil {
		return err
	}
	if err := r.handleOrphans(ctx, orphans); err != nil {
		return err
	}
	if err := checkBindSources(r.model, r.e.Local); err != nil {
		return err
	}
	if r.networks, err = r.e.ensureNetworks(ctx, r.model, usedNetworks(r.model), r.progress); err != nil {
		return fmt.Errorf("up %s: %w", r.model.Name, err)
	}
	if err := r.e.ensureVolumes(ctx, r.model, usedVolumes(r.model), r.progress); err != nil {
		return fmt.Errorf("up %s: %w", r.model.Name, err)
	}
	return nil
}

func (r *upRun) handleOrphans(ctx context.Context, orphans []observed) error {
	if len(orphans) == 0 {
		return nil
	}
	if !r.opts.RemoveOrphans {
		names := make([]string, len(orphans))
		for i, o := range orphans {
			names[i] = o.Name
		}
		r.progress.report(Progress{Kind: ProgressWarning, Subject: r.model.Name, Text: fmt.Sprintf(
			"found orphan containers %v for this project; if you removed or renamed their service, up with remove-orphans removes them", names)})
		return nil
	}
	for _, o := range orphans {
		if err := r.e.removeContainer(ctx, o, "", r.opts.StopTimeout, r.progress); err != nil {
			return fmt.Errorf("up %s: remove orphan: %w", r.model.Name, err)
		}
	}
	r.changed.Store(true)
	return nil
}

// usedNetworks are the network keys the selected services join.
func usedNetworks(model *types.Project) []string {
	seen := map[string]bool{}
	for _, sc := range model.Services {
		if sc.NetworkMode != "" {
			continue
		}
		for key := range sc.Networks {
			seen[key] = true
		}
		if len(sc.Networks) == 0 && len(model.Networks) > 0 {
			seen["default"] = true
		}
	}
	return sortedKeys(seen)
}

// usedVolumes are the named-volume keys the selected services mount.
func usedVolumes(model *types.Project) []string {
	seen := map[string]bool{}
	for _, sc := range model.Services {
		for _, v := range sc.Volumes {
			if v.Type == types.VolumeTypeVolume && v.Source != "" {
				seen[v.Source] = true
			}
		}
	}
	return sortedKeys(seen)
}
