package stack

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/compose-spec/compose-go/v2/types"
)

// WatchOptions shape a watch like `docker compose watch`'s flags.
type WatchOptions struct {
	// Services to watch (all services with a develop section when empty).
	Services []string
	// Quiet is how long the file tree must be quiet before a batch is
	// applied (50 ms when zero; Compose waits 500 ms), and MaxWait bounds
	// how long a stream of changes is held back (500 ms when zero).
	Quiet, MaxWait time.Duration
	// NoBuild refuses rebuild triggers, like compose's --no-build.
	NoBuild bool
	// OnEvent receives every event; it may be called from several
	// goroutines at once (services sync in parallel) and must not block for
	// long. Nil drops them.
	OnEvent func(WatchEvent)
	// Progress receives the steps of rebuilds and restarts.
	Progress ProgressFunc
}

// ErrNoWatch says none of the selected services has a develop.watch section.
var ErrNoWatch = errors.New("none of the selected services is configured for watch: add a develop.watch section (https://docs.docker.com/compose/how-tos/file-watch/)")

// watchRun is one running watch.
type watchRun struct {
	e     *Engine
	p     *Project
	model *types.Project
	opts  WatchOptions
	rules []watchRule
	// helpers are the containers' sync helper shells (watch_helper.go).
	helpers *helperPool
}

// Watch applies develop.watch: it watches the triggers' paths and, for
// each batch of changes, syncs files into the running containers, restarts
// them, runs their sync+exec command or rebuilds and recreates the service,
// reporting each as a WatchEvent. It returns once ctx ends, or at once when
// the watch cannot be set up (no develop section, a rebuild trigger
// without a build section, bad patterns). Failures of single actions are
// events, not errors: the watch goes on.
func (e *Engine) Watch(ctx context.Context, p *Project, opts WatchOptions) error {
	w, roots, err := e.newWatchRun(p, opts)
	if err != nil {
		return fmt.Errorf("watch %s: %w", p.Name, err)
	}
	tw, err := newTreeWatcher(roots, w.skipDir, func(err error) {
		w.emit(WatchEvent{Action: WatchWarning, Err: fmt.Errorf("file watch: %w", err)})
	})
	if err != nil {
		return fmt.Errorf("watch %s: %w", p.Name, err)
	}
	batches := make(chan []fsChange, 1)
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	defer w.helpers.close()
	done := make(chan struct{})
	go func() {
		defer close(done)
		tw.run(ctx, w.opts.Quiet, w.opts.MaxWait, batches)
	}()
	w.initialSync(ctx)
	w.helpers.warm(ctx, w.model.Name, w.syncServices())
	w.emit(WatchEvent{Action: WatchStarted, Text: strings.Join(roots, ", ")})
	for {
		select {
		case <-ctx.Done():
			<-done
			return nil
		case batch := <-batches:
			w.handle(ctx, batch)
		}
	}
}

func (e *Engine) newWatchRun(p *Project, opts WatchOptions) (*watchRun, []string, error) {
	if p.model == nil || p.model.project == nil {
		return nil, nil, fmt.Errorf("project was not loaded with stack.Load")
	}
	model, err := p.model.project.WithSelectedServices(opts.Services)
	if err != nil {
		return nil, nil, fmt.Errorf("%w: %w", ErrUnknownService, err)
	}
	if opts.Quiet <= 0 {
		opts.Quiet = 50 * time.Millisecond
	}
	if opts.MaxWait <= 0 {
		opts.MaxWait = 500 * time.Millisecond
	}
	w := &watchRun{e: e, p: p, model: model, opts: opts, helpers: newHelperPool(e)}
	var roots []string
	for _, name := range sortedKeys(model.Services) {
		sc := model.Services[name]
		if sc.Develop == nil || len(sc.Develop.Watch) == 0 {
			continue
		}
		sc.Develop = absTriggers(sc.Develop, model.WorkingDir)
		rules, err := newWatchRules(sc)
		if err != nil {
			return nil, nil, err
		}
		for _, r := range rules {
			if r.trigger.Action == types.WatchActionRebuild {
				if sc.Build == nil {
					return nil, nil, fmt.Errorf("service %s: develop.watch action rebuild needs a build section", name)
				}
				if opts.NoBuild {
					return nil, nil, fmt.Errorf("service %s: --no-build cannot be used with watch action rebuild", name)
				}
			}
			if r.syncs() && boundByMount(r.trigger.Path, sc.Volumes) {
				w.emit(WatchEvent{Service: name, Action: WatchWarning,
					Text: fmt.Sprintf("path %s is also bind-mounted: it is not watched (the mount already shows changes)", r.trigger.Path)})
				continue
			}
			w.rules = append(w.rules, r)
			if !slices.Contains(roots, r.trigger.Path) {
				roots = append(roots, r.trigger.Path)
			}
		}
	}
	if len(roots) == 0 {
		return nil, nil, ErrNoWatch
	}
	return w, roots, nil
}

// absTriggers makes the triggers' paths absolute (the loader already
// does; a hand-built project may not have).
func absTriggers(d *types.DevelopConfig, dir string) *types.DevelopConfig {
	out := *d
	out.Watch = slices.Clone(d.Watch)
	for i, t := range out.Watch {
		if !filepath.IsAbs(t.Path) {
			out.Watch[i].Path = filepath.Join(dir, t.Path)
		}
		out.Watch[i].Path = filepath.Clean(out.Watch[i].Path)
	}
	return &out
}

// boundByMount reports whether a path lies inside a bind mount's source.
func boundByMount(p string, volumes []types.ServiceVolumeConfig) bool {
	for _, v := range volumes {
		if v.Type != types.VolumeTypeBind {
			continue
		}
		rel, err := filepath.Rel(v.Source, p)
		if err == nil && !strings.HasPrefix(rel, "..") {
			return true
		}
	}
	return false
}

// skipDir says a folder is ignored by every rule that covers it, so it is
// not watched at all (node_modules, .git).
func (w *watchRun) skipDir(dir string) bool {
	covered := false
	for _, r := range w.rules {
		if dir != r.trigger.Path && !strings.HasPrefix(dir, r.trigger.Path+string(filepath.Separator)) {
			continue
		}
		covered = true
		if !r.ignoresDir(dir) {
			return false
		}
	}
	return covered
}

// syncServices are the services with a rule that copies files.
func (w *watchRun) syncServices() []string {
	var out []string
	for _, r := range w.rules {
		if r.syncs() && !slices.Contains(out, r.service) {
			out = append(out, r.service)
		}
	}
	return out
}

func (w *watchRun) emit(ev WatchEvent) {
	if ev.Time.IsZero() {
		ev.Time = time.Now()
	}
	if w.opts.OnEvent != nil {
		w.opts.OnEvent(ev)
	}
}
