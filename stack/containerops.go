package stack

import (
	"context"
	"fmt"
	cerrdefs "github.com/containerd/errdefs"
	"strings"
	"time"

	"github.com/moby/moby/api/types/container"
	"github.com/moby/moby/client"
)

// The engine operations on single containers that up, down and the
// lifecycle verbs share, each reported as progress.

// stopContainer stops a container; timeout nil uses its stop_grace_period.
// The progress line says what the wait is about: a process that ignores
// its stop signal holds the verb for the whole grace period.
func (e *Engine) stopContainer(ctx context.Context, o observed, service string, timeout *time.Duration, progress ProgressFunc) error {
	progress.report(Progress{Kind: ProgressStopping, Service: service, Subject: o.Name, Text: e.stopWait(ctx, o.ID, timeout)})
	if _, err := e.api.ContainerStop(ctx, o.ID, client.ContainerStopOptions{Timeout: stopSeconds(timeout)}); err != nil {
		return fmt.Errorf("stop %s: %w", o.Name, err)
	}
	progress.report(Progress{Kind: ProgressStopped, Service: service, Subject: o.Name})
	return nil
}

// removeContainer stops then removes a container, keeping its anonymous
// volumes.
func (e *Engine) removeContainer(ctx context.Context, o observed, service string, timeout *time.Duration, progress ProgressFunc) error {
	// A container that is gone by the time it is stopped or removed is
	// what was asked for: the engine may still have been removing it for
	// a client that was killed (an interrupted up), or another tool did.
	if o.State == container.StateRunning || o.State == container.StateRestarting || o.State == container.StatePaused {
		if err := e.stopContainer(ctx, o, service, timeout, progress); err != nil && !cerrdefs.IsNotFound(err) {
			return err
		}
	}
	progress.report(Progress{Kind: ProgressRemoving, Service: service, Subject: o.Name})
	if _, err := e.api.ContainerRemove(ctx, o.ID, client.ContainerRemoveOptions{Force: true}); err != nil && !cerrdefs.IsNotFound(err) {
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

// defaultStopTimeout is the engine's grace period when neither the caller
// nor the container (stop_grace_period) sets one.
const defaultStopTimeout = 10 * time.Second

// stopWait describes a stop: "waiting up to 10s for it to exit after
// SIGTERM, then SIGKILL", with the container's own signal and grace
// period unless timeout overrides the period.
func (e *Engine) stopWait(ctx context.Context, id string, timeout *time.Duration) string {
	signal, grace := "SIGTERM", defaultStopTimeout
	if res, err := e.api.ContainerInspect(ctx, id, client.ContainerInspectOptions{}); err == nil && res.Container.Config != nil {
		if s := res.Container.Config.StopSignal; s != "" {
			signal = s
		}
		if t := res.Container.Config.StopTimeout; t != nil {
			grace = time.Duration(*t) * time.Second
		}
	}
	if timeout != nil {
		grace = *timeout
	}
	return stopWaitText(signal, grace)
}

func stopWaitText(signal string, grace time.Duration) string {
	if !strings.HasPrefix(signal, "SIG") && !strings.ContainsAny(signal, "0123456789") {
		signal = "SIG" + signal
	}
	if grace <= 0 {
		return "sending SIGKILL (no grace period)"
	}
	return fmt.Sprintf("waiting up to %s for it to exit after %s, then SIGKILL", grace, signal)
}
