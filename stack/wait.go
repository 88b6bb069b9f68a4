package stack

import (
	"context"
	"fmt"
	"sync"

	"github.com/moby/moby/api/types/container"
	"github.com/moby/moby/client"
)

// WaitOptions shape a wait the way `docker compose wait`'s flags do.
type WaitOptions struct {
	// Services whose containers are waited for (all when empty).
	Services []string
	// DownProject takes the project down (orphans included) once the
	// containers have stopped.
	DownProject bool
	// Exited is told of each container as it stops, with its exit code.
	Exited func(containerID string, code int)
	// Progress receives the steps of the down.
	Progress ProgressFunc
}

// Wait blocks until the services' running containers (one-off ones
// included) have stopped and returns the exit code of the last one to
// stop. When none is running it reads the exit codes of the stopped ones,
// so a wait after a fast service finished still succeeds. p may be nil.
func (e *Engine) Wait(ctx context.Context, project string, p *Project, opts WaitOptions) (int, error) {
	code, err := e.wait(ctx, project, p, opts)
	if err != nil {
		return code, fmt.Errorf("wait %s: %w", project, err)
	}
	return code, nil
}

func (e *Engine) wait(ctx context.Context, project string, p *Project, opts WaitOptions) (int, error) {
	running := []container.ContainerState{container.StateRunning, container.StateRestarting, container.StatePaused}
	cs, err := e.targets(ctx, project, p, targetOptions{services: opts.Services, oneOff: true, orphans: true, states: running})
	if err == nil && len(cs) == 0 {
		cs, err = e.targets(ctx, project, p, targetOptions{services: opts.Services, oneOff: true, orphans: true})
	}
	if err != nil {
		return 0, err
	}
	if len(cs) == 0 {
		return 0, fmt.Errorf("no containers to wait for in project %s: %w", project, ErrNotCreated)
	}
	var mu sync.Mutex
	last := 0
	err = eachSummary(cs, func(c container.Summary) error {
		res := e.api.ContainerWait(ctx, c.ID, client.ContainerWaitOptions{})
		select {
		case r := <-res.Result:
			mu.Lock()
			defer mu.Unlock()
			last = int(r.StatusCode)
			if opts.Exited != nil {
				opts.Exited(c.ID, last)
			}
			return nil
		case err := <-res.Error:
			return fmt.Errorf("%s: %w", containerName(c), err)
		}
	})
	if err != nil {
		return 0, err
	}
	if opts.DownProject {
		return last, e.Down(ctx, project, nil, DownOptions{RemoveOrphans: true, Progress: opts.Progress})
	}
	return last, nil
}
