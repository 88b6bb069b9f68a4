package stack

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"slices"
	"sync"
	"time"

	"github.com/compose-spec/compose-go/v2/cli"
	"github.com/compose-spec/compose-go/v2/types"
)

// batchPlan is what one batch of changes asks of each service.
type batchPlan struct {
	sync    map[string][]syncPath
	restart map[string]bool
	rebuild map[string]bool
	exec    map[string][]int // rule indexes
}

// plan matches the changed paths against the rules.
func (w *watchRun) plan(batch []fsChange) batchPlan {
	b := batchPlan{sync: map[string][]syncPath{}, restart: map[string]bool{}, rebuild: map[string]bool{}, exec: map[string][]int{}}
	for _, ch := range batch {
		for i, r := range w.rules {
			target, ok := r.target(ch.path)
			if !ok {
				continue
			}
			svc := r.service
			switch r.trigger.Action {
			case types.WatchActionRebuild:
				b.rebuild[svc] = true
			case types.WatchActionRestart:
				b.restart[svc] = true
			case types.WatchActionSync, types.WatchActionSyncRestart, types.WatchActionSyncExec:
				if target != "" {
					b.sync[svc] = append(b.sync[svc], syncPath{host: ch.path, container: target, created: ch.created})
				}
				if r.trigger.Action == types.WatchActionSyncRestart {
					b.restart[svc] = true
				}
				if r.trigger.Action == types.WatchActionSyncExec && !slices.Contains(b.exec[svc], i) {
					b.exec[svc] = append(b.exec[svc], i)
				}
			}
		}
	}
	return b
}

// handle applies one batch: syncs (services in parallel), then restarts
// and sync+exec commands, then rebuilds, as Compose orders them. A service
// that is rebuilt is not restarted: its new container starts anyway.
func (w *watchRun) handle(ctx context.Context, batch []fsChange) {
	b := w.plan(batch)
	var wg sync.WaitGroup
	for svc, paths := range b.sync {
		wg.Go(func() { w.syncService(ctx, svc, paths, "") })
	}
	wg.Wait()
	for _, svc := range sortedKeys(b.restart) {
		if !b.rebuild[svc] {
			w.restart(ctx, svc)
		}
	}
	for _, svc := range sortedKeys(b.exec) {
		for _, i := range b.exec[svc] {
			w.execTrigger(ctx, svc, w.rules[i].trigger.Exec)
		}
	}
	for _, svc := range sortedKeys(b.rebuild) {
		w.rebuild(ctx, svc)
	}
}

func (w *watchRun) syncService(ctx context.Context, svc string, paths []syncPath, text string) {
	start := time.Now()
	res, err := w.e.syncFiles(ctx, w.model.Name, svc, paths, w.helpers)
	ev := WatchEvent{Service: svc, Action: WatchSynced, Files: res.files, Deleted: res.deleted, Bytes: res.bytes,
		Containers: res.containers, Duration: time.Since(start), Text: text}
	if err != nil {
		ev.Err = fmt.Errorf("sync %s: %w", svc, err)
	} else if res.containers == 0 {
		ev.Text = "no running container (synced on the next change once the service runs)"
	}
	if res.files == 0 && res.deleted == 0 && err == nil {
		return // only ignored or vanished temporary files
	}
	w.emit(ev)
}

func (w *watchRun) restart(ctx context.Context, svc string) {
	start := time.Now()
	err := w.e.Restart(ctx, w.p, LifecycleOptions{Services: []string{svc}, Progress: w.opts.Progress})
	if err != nil {
		err = fmt.Errorf("restart %s: %w", svc, err)
	}
	w.emit(WatchEvent{Service: svc, Action: WatchRestarted, Duration: time.Since(start), Err: err})
}

// execTrigger runs a sync+exec command in every running container of the
// service, as Compose does.
func (w *watchRun) execTrigger(ctx context.Context, svc string, h types.ServiceHook) {
	start := time.Now()
	cs, err := w.e.runningOf(ctx, w.model.Name, svc)
	ev := WatchEvent{Service: svc, Action: WatchExecuted, Containers: len(cs)}
	var errs []error
	for _, c := range cs {
		t := hookTarget{id: c.ID, name: engineName(firstName(c)), service: svc}
		out, herr := w.e.runHook(ctx, t, h, nil)
		ev.Output = append(ev.Output, out...)
		if herr != nil {
			errs = append(errs, fmt.Errorf("exec %q in %s: %w", h.Command, t.name, herr))
		}
	}
	ev.Err = errors.Join(append(errs, err)...)
	ev.Duration = time.Since(start)
	w.emit(ev)
}

// rebuild builds the service's image through the same path as Build and
// recreates only that service, as Compose's watch does.
func (w *watchRun) rebuild(ctx context.Context, svc string) {
	start := time.Now()
	err := w.e.Build(ctx, w.p, BuildOptions{Services: []string{svc}, Progress: w.opts.Progress})
	if err == nil {
		err = w.e.Recreate(ctx, w.p, svc, UpOptions{Progress: w.opts.Progress})
	}
	if err != nil {
		err = fmt.Errorf("rebuild %s: %w", svc, err)
	}
	w.emit(WatchEvent{Service: svc, Action: WatchRebuilt, Duration: time.Since(start), Err: err})
}

// initialSync copies the files of every sync trigger with initial_sync
// before watching starts, leaving out what Compose leaves out: ignored
// paths, .git, the Dockerfile and compose files.
func (w *watchRun) initialSync(ctx context.Context) {
	for _, r := range w.rules {
		if !r.trigger.InitialSync || !r.syncs() || r.trigger.Target == "" {
			continue
		}
		paths, err := initialPaths(r, w.model.Services[r.service])
		if err != nil {
			w.emit(WatchEvent{Service: r.service, Action: WatchSynced, Text: "initial sync", Err: fmt.Errorf("initial sync of %s: %w", r.trigger.Path, err)})
			continue
		}
		w.syncService(ctx, r.service, paths, "initial sync")
	}
}

// initialPaths lists the files under a trigger's path that its initial
// sync copies.
func initialPaths(r watchRule, sc types.ServiceConfig) ([]syncPath, error) {
	skip := append([]string{"Dockerfile"}, cli.DefaultFileNames...)
	skip = append(skip, cli.DefaultOverrideFileNames...)
	if sc.Build != nil && sc.Build.Dockerfile != "" {
		skip = append(skip, filepath.Base(sc.Build.Dockerfile))
	}
	var out []syncPath
	err := filepath.WalkDir(r.trigger.Path, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			if p != r.trigger.Path && r.ignoresDir(p) {
				return filepath.SkipDir
			}
			return nil
		}
		if target, ok := r.target(p); ok && !slices.Contains(skip, d.Name()) {
			out = append(out, syncPath{host: p, container: target})
		}
		return nil
	})
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if fi, serr := os.Stat(r.trigger.Path); serr == nil && !fi.IsDir() {
		out = []syncPath{{host: r.trigger.Path, container: path.Clean(r.trigger.Target)}}
	}
	return out, err
}
