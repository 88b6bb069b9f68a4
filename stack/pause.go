package stack

import (
	"context"
	"fmt"

	"github.com/moby/moby/api/types/container"
	"github.com/moby/moby/client"
)

// PauseOptions choose the services Pause and Unpause act on.
type PauseOptions struct {
	// Services to act on (all when empty).
	Services []string
	// Progress receives each step as it happens.
	Progress ProgressFunc
}

// Pause freezes the services' running containers. p may be nil.
func (e *Engine) Pause(ctx context.Context, project string, p *Project, opts PauseOptions) error {
	if err := e.pause(ctx, project, p, opts, true); err != nil {
		return fmt.Errorf("pause %s: %w", project, err)
	}
	return nil
}

// Unpause thaws the services' paused containers. p may be nil.
func (e *Engine) Unpause(ctx context.Context, project string, p *Project, opts PauseOptions) error {
	if err := e.pause(ctx, project, p, opts, false); err != nil {
		return fmt.Errorf("unpause %s: %w", project, err)
	}
	return nil
}

func (e *Engine) pause(ctx context.Context, project string, p *Project, opts PauseOptions, pause bool) error {
	state := container.StateRunning
	if !pause {
		state = container.StatePaused
	}
	cs, err := e.targets(ctx, project, p, targetOptions{services: opts.Services, states: []container.ContainerState{state}})
	if err != nil {
		return err
	}
	return eachSummary(cs, func(c container.Summary) error {
		var err error
		kind := ProgressPaused
		if pause {
			_, err = e.api.ContainerPause(ctx, c.ID, client.ContainerPauseOptions{})
		} else {
			kind = ProgressUnpaused
			_, err = e.api.ContainerUnpause(ctx, c.ID, client.ContainerUnpauseOptions{})
		}
		if err != nil {
			return fmt.Errorf("%s: %w", containerName(c), err)
		}
		opts.Progress.report(Progress{Kind: kind, Service: c.Labels[labelService], Subject: containerName(c)})
		return nil
	})
}
