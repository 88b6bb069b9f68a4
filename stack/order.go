package stack

import (
	"context"
	"errors"
	"fmt"
	"sync"
)

// depGraph maps each service to the services it depends on. Dependencies
// on services outside the graph are ignored: they are not being acted on.
type depGraph map[string][]string

// errSkipped marks a service that was not acted on because one it depends
// on (or, in reverse order, one depending on it) failed.
var errSkipped = errors.New("skipped")

// walk calls fn for every service once the services it depends on are done
// (reverse: once the services depending on it are done), running
// independent services concurrently. A failure stops only what depends on
// the failed service; the others carry on. The errors of the services that
// failed are joined.
func (g depGraph) walk(ctx context.Context, reverse bool, fn func(ctx context.Context, service string) error) error {
	if err := g.checkCycles(); err != nil {
		return err
	}
	waitsFor := g
	if reverse {
		waitsFor = g.reversed()
	}
	done := make(map[string]chan struct{}, len(g))
	for name := range g {
		done[name] = make(chan struct{})
	}
	var mu sync.Mutex
	failed := map[string]error{}
	var wg sync.WaitGroup
	for name := range g {
		wg.Go(func() {
			defer close(done[name])
			err := waitAll(ctx, done, waitsFor[name])
			if err == nil {
				mu.Lock()
				for _, dep := range waitsFor[name] {
					if failed[dep] != nil {
						err = errSkipped
					}
				}
				mu.Unlock()
			}
			if err == nil {
				err = fn(ctx, name)
			}
			mu.Lock()
			failed[name] = err
			mu.Unlock()
		})
	}
	wg.Wait()
	var errs []error
	for _, name := range sortedKeys(failed) {
		if err := failed[name]; err != nil && !errors.Is(err, errSkipped) {
			errs = append(errs, err)
		}
	}
	if len(errs) == 0 && ctx.Err() != nil {
		return ctx.Err()
	}
	return errors.Join(errs...)
}

func waitAll(ctx context.Context, done map[string]chan struct{}, deps []string) error {
	for _, dep := range deps {
		ch, ok := done[dep]
		if !ok {
			continue
		}
		select {
		case <-ch:
		case <-ctx.Done():
			return errSkipped
		}
	}
	return nil
}

// reversed maps each service to the services that depend on it.
func (g depGraph) reversed() depGraph {
	r := make(depGraph, len(g))
	for name, deps := range g {
		if _, ok := r[name]; !ok {
			r[name] = nil
		}
		for _, dep := range deps {
			if _, ok := g[dep]; ok {
				r[dep] = append(r[dep], name)
			}
		}
	}
	return r
}

// checkCycles fails on a dependency cycle, which would make walk wait forever.
func (g depGraph) checkCycles() error {
	const (
		visiting = 1
		finished = 2
	)
	state := map[string]int{}
	var visit func(name string, path []string) error
	visit = func(name string, path []string) error {
		switch state[name] {
		case visiting:
			return fmt.Errorf("dependency cycle: %v", append(path, name))
		case finished:
			return nil
		}
		state[name] = visiting
		for _, dep := range g[name] {
			if _, ok := g[dep]; ok {
				if err := visit(dep, append(path, name)); err != nil {
					return err
				}
			}
		}
		state[name] = finished
		return nil
	}
	for _, name := range sortedKeys(g) {
		if err := visit(name, nil); err != nil {
			return err
		}
	}
	return nil
}
