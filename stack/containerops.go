package stack

import (
	"context"
	"fmt"
	"time"

	"github.com/moby/moby/api/types/container"
	"github.com/moby/moby/client"
)

// The engine operations on single containers that up, down and the
// lifecycle verbs share, each reported as progress.

// stopContainer stops a container; timeout nil uses its stop_grace_period.
func (e *Engine) stopContainer(ctx context.Context, o observed, service string, timeout *time.Duration, progress ProgressFunc) error {
	progress.report(Progress{Kind: ProgressStopping, Service: service, Subject: o.Name})
	if _, err := e.api.ContainerStop(ctx, o.ID, client.ContainerStopOptions{Timeout: stopSeconds(timeout)}); err != nil {
		return fmt.Errorf("stop %s: %w", o.Name, err)
	}
	progress.report(Progress{Kind: ProgressStopped, Service: service, Subject: o.Name})
	return nil
}

// removeContainer stops then removes a container, keeping its anonymous
// volumes.
func (e *Engine) removeContainer(ctx context.Context, o observed, service string, timeout *time.Duration, progress ProgressFunc) error {
	if o.State == container.StateRunning || o.State == container.StateRestarting || o.State == container.StatePaused {
		if err := e.stopContainer(ctx, o, service, timeout, progress); err != nil {
			return err
		}
	}
	progress.report(Progress{Kind: ProgressRemoving, Service: service, Subject: o.Name})
	if _, err := e.api.ContainerRemove(ctx, o.ID, client.ContainerRemoveOptions{Force: true}); err != nil {
		return fmt.Errorf("remove %s: %w", o.Name, err)
	}
	progress.report(Progress{Kind: ProgressRemoved, Service: service, Subject: o.Name})
	return nil
}

func stopSeconds(d *time.Duration) *int {
	if d == nil {
		return nil
	}
	s := int(d.Seconds())
	return &s
}

// startContainer starts a container; serialise holds the lock that keeps
// starts of port-range publishers apart.
func (e *Engine) startContainer(ctx context.Context, c observed, service string, serialise bool, progress ProgressFunc) error {
	progress.report(Progress{Kind: ProgressStarting, Service: service, Subject: c.Name})
	if serialise {
		portRangeStart.Lock()
		defer portRangeStart.Unlock()
	}
	if _, err := e.api.ContainerStart(ctx, c.ID, client.ContainerStartOptions{}); err != nil {
		return fmt.Errorf("start %s: %w", c.Name, e.portInUse(ctx, c.Name, err))
	}
	progress.report(Progress{Kind: ProgressStarted, Service: service, Subject: c.Name})
	return nil
}
