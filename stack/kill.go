package stack

import (
	"context"
	"fmt"

	"github.com/moby/moby/api/types/container"
	"github.com/moby/moby/client"
)

// KillOptions shape a kill the way `docker compose kill`'s flags do.
type KillOptions struct {
	// Services to kill (all when empty).
	Services []string
	// Signal to send (SIGKILL when empty); a name (SIGHUP, HUP) or a number.
	Signal string
	// RemoveOrphans also kills containers of services no longer declared.
	RemoveOrphans bool
	// Progress receives each step as it happens.
	Progress ProgressFunc
}

// Kill sends a signal to the running containers of the services, one-off
// containers included, as compose does. With nothing running it returns
// ErrNoContainers. p may be nil: the project is then known by name only.
func (e *Engine) Kill(ctx context.Context, project string, p *Project, opts KillOptions) error {
	if err := e.kill(ctx, project, p, opts); err != nil {
		return fmt.Errorf("kill %s: %w", project, err)
	}
	return nil
}

func (e *Engine) kill(ctx context.Context, project string, p *Project, opts KillOptions) error {
	if opts.Signal == "" {
		opts.Signal = "SIGKILL"
	}
	cs, err := e.targets(ctx, project, p, targetOptions{services: opts.Services, oneOff: true, orphans: opts.RemoveOrphans,
		states: []container.ContainerState{container.StateRunning, container.StateRestarting, container.StatePaused}})
	if err != nil {
		return err
	}
	if len(cs) == 0 {
		return ErrNoContainers
	}
	return eachSummary(cs, func(c container.Summary) error {
		if _, err := e.api.ContainerKill(ctx, c.ID, client.ContainerKillOptions{Signal: opts.Signal}); err != nil {
			return fmt.Errorf("%s: %w", containerName(c), err)
		}
		opts.Progress.report(Progress{Kind: ProgressKilled, Service: c.Labels[labelService], Subject: containerName(c), Text: opts.Signal})
		return nil
	})
}
