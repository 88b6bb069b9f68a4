package stack

import (
	"context"
	"fmt"

	cerrdefs "github.com/containerd/errdefs"
	"github.com/moby/moby/api/types/container"
	"github.com/moby/moby/client"
)

// RemoveOptions shape an rm the way `docker compose rm`'s flags do.
type RemoveOptions struct {
	// Services whose containers are removed (all when empty).
	Services []string
	// Stop stops running containers first; without it only stopped
	// containers are removed and running ones are left alone.
	Stop bool
	// Volumes also removes the anonymous volumes of the removed
	// containers. Named volumes are never removed by rm.
	Volumes bool
	// Confirm is asked with the names of the containers about to be
	// removed; false cancels. nil removes without asking.
	Confirm func(names []string) bool
	// Progress receives each step as it happens.
	Progress ProgressFunc
}

// Remove removes the services' stopped containers (one-off containers
// excluded), as `docker compose rm` does. With nothing stopped it returns
// ErrNoContainers. p may be nil.
func (e *Engine) Remove(ctx context.Context, project string, p *Project, opts RemoveOptions) error {
	if err := e.remove(ctx, project, p, opts); err != nil {
		return fmt.Errorf("rm %s: %w", project, err)
	}
	return nil
}

func (e *Engine) remove(ctx context.Context, project string, p *Project, opts RemoveOptions) error {
	cs, err := e.targets(ctx, project, p, targetOptions{services: opts.Services})
	if err != nil {
		return err
	}
	if opts.Stop {
		if err := e.stopTargets(ctx, p, opts, cs); err != nil {
			return err
		}
	}
	// The listed states may be stale after a stop: ask again, as compose does.
	var stopped []container.Summary
	var names []string
	for _, c := range cs {
		res, err := e.api.ContainerInspect(ctx, c.ID, client.ContainerInspectOptions{})
		switch {
		case cerrdefs.IsNotFound(err):
			continue // removed meanwhile (auto-remove)
		case err != nil:
			return fmt.Errorf("inspect %s: %w", containerName(c), err)
		case res.Container.State != nil && res.Container.State.Running:
			continue
		}
		stopped = append(stopped, c)
		names = append(names, containerName(c))
	}
	if len(stopped) == 0 {
		return ErrNoContainers
	}
	if opts.Confirm != nil && !opts.Confirm(names) {
		return nil
	}
	return eachSummary(stopped, func(c container.Summary) error {
		svc, name := c.Labels[labelService], containerName(c)
		opts.Progress.report(Progress{Kind: ProgressRemoving, Service: svc, Subject: name})
		if _, err := e.api.ContainerRemove(ctx, c.ID, client.ContainerRemoveOptions{RemoveVolumes: opts.Volumes}); err != nil {
			return fmt.Errorf("remove %s: %w", name, err)
		}
		if opts.Volumes {
			// Engine 20.10 keeps anonymous volumes a recreate carried over.
			e.removeAnonymousVolumes(ctx, c)
		}
		opts.Progress.report(Progress{Kind: ProgressRemoved, Service: svc, Subject: name})
		return nil
	})
}

// stopTargets stops the running containers rm -s removes: in dependency
// order through Stop when the project is loaded, directly otherwise.
func (e *Engine) stopTargets(ctx context.Context, p *Project, opts RemoveOptions, cs []container.Summary) error {
	if p != nil && p.model != nil {
		return e.Stop(ctx, p, LifecycleOptions{Services: opts.Services, Progress: opts.Progress})
	}
	return eachSummary(cs, func(c container.Summary) error {
		if c.State != container.StateRunning && c.State != container.StateRestarting && c.State != container.StatePaused {
			return nil
		}
		return e.stopContainer(ctx, observedFromSummary(c), c.Labels[labelService], nil, opts.Progress)
	})
}
