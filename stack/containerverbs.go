package stack

import (
	"context"
	"fmt"

	"github.com/moby/moby/client"
)

// The verbs on one container by ID, for what is not a service: the
// dashboard stops and removes one-off containers (those of `run`) with
// them, where the service verbs would act on the service's own
// containers instead.

// StopContainer stops one container, waiting its stop_grace_period (the
// engine's default when it has none) before killing it.
func (e *Engine) StopContainer(ctx context.Context, id string) error {
	if _, err := e.api.ContainerStop(ctx, id, client.ContainerStopOptions{}); err != nil {
		return fmt.Errorf("stop %.12s: %w", id, engineErr(err))
	}
	return nil
}

// RemoveContainer removes one container, running or not, with its
// anonymous volumes, as `run --rm` does when its command ends.
func (e *Engine) RemoveContainer(ctx context.Context, id string) error {
	if _, err := e.api.ContainerRemove(ctx, id, client.ContainerRemoveOptions{Force: true, RemoveVolumes: true}); err != nil {
		return fmt.Errorf("remove %.12s: %w", id, engineErr(err))
	}
	return nil
}
