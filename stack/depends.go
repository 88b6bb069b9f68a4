package stack

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/compose-spec/compose-go/v2/types"
	"github.com/moby/moby/api/types/container"
	"github.com/moby/moby/client"
)

// ServiceError says why a service's container did not come up as needed:
// it exited, was OOM-killed, became unhealthy. Logs are the last lines the
// container wrote, so the reason is visible without another command.
type ServiceError struct {
	Service   string
	Container string
	Reason    string
	Logs      []string
}

// Error names the service, the container and the reason, then the logs.
func (e *ServiceError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "service %s: container %s %s", e.Service, e.Container, e.Reason)
	if len(e.Logs) > 0 {
		b.WriteString("; its last log lines:")
		for _, l := range e.Logs {
			b.WriteString("\n    ")
			b.WriteString(l)
		}
	}
	return b.String()
}

// conditionReady is the condition Wait uses: healthy when the service has
// a healthcheck, running otherwise.
const conditionReady = "ready"

// pollInterval is how often a wait inspects the containers it waits on.
const pollInterval = 200 * time.Millisecond

// waitCondition waits until every container of a service meets a
// depends_on condition, failing as soon as one cannot meet it any more.
func (e *Engine) waitCondition(ctx context.Context, service, condition string, ids []string) error {
	if condition == types.ServiceConditionStarted || len(ids) == 0 {
		return nil
	}
	tick := time.NewTicker(pollInterval)
	defer tick.Stop()
	for {
		done, err := e.checkCondition(ctx, service, condition, ids)
		if done || err != nil {
			return err
		}
		select {
		case <-ctx.Done():
			if errors.Is(ctx.Err(), context.DeadlineExceeded) {
				return fmt.Errorf("timed out waiting for %s to be %s", service, conditionWords(condition))
			}
			return ctx.Err()
		case <-tick.C:
		}
	}
}

func conditionWords(condition string) string {
	switch condition {
	case types.ServiceConditionHealthy:
		return "healthy"
	case types.ServiceConditionCompletedSuccessfully:
		return "completed successfully"
	}
	return "ready"
}

// checkCondition inspects the containers once: all meet the condition
// (true), some still might (false), or one never will (error).
func (e *Engine) checkCondition(ctx context.Context, service, condition string, ids []string) (bool, error) {
	for _, id := range ids {
		res, err := e.api.ContainerInspect(ctx, id, client.ContainerInspectOptions{})
		if err != nil {
			return false, fmt.Errorf("inspect %s: %w", id, err)
		}
		ok, reason := meets(condition, res.Container)
		if reason != "" {
			return false, e.serviceError(ctx, service, res.Container, reason)
		}
		if !ok {
			return false, nil
		}
	}
	return true, nil
}

// meets tells whether a container meets a condition now; reason is set
// when it never will.
func meets(condition string, c container.InspectResponse) (ok bool, reason string) {
	s := c.State
	if s == nil {
		return false, ""
	}
	exited := s.Status == container.StateExited || s.Status == container.StateDead
	if condition == types.ServiceConditionCompletedSuccessfully {
		if !exited {
			return false, ""
		}
		if s.ExitCode != 0 {
			return false, exitReason(s)
		}
		return true, ""
	}
	if exited {
		return false, exitReason(s)
	}
	hasCheck := c.Config != nil && c.Config.Healthcheck != nil &&
		len(c.Config.Healthcheck.Test) > 0 && c.Config.Healthcheck.Test[0] != "NONE"
	if !hasCheck {
		if condition == types.ServiceConditionHealthy {
			return false, "has no healthcheck, but a service waits for it to be healthy"
		}
		return s.Status == container.StateRunning, ""
	}
	if s.Health == nil {
		return false, ""
	}
	switch s.Health.Status {
	case container.Healthy:
		return true, ""
	case container.Unhealthy:
		return false, "is unhealthy" + lastProbe(s.Health)
	}
	return false, ""
}

func exitReason(s *container.State) string {
	r := fmt.Sprintf("exited with code %d", s.ExitCode)
	if s.OOMKilled {
		r += " (killed: out of memory)"
	}
	return r
}

func lastProbe(h *container.Health) string {
	if len(h.Log) == 0 {
		return ""
	}
	out := strings.TrimSpace(h.Log[len(h.Log)-1].Output)
	if out == "" {
		return ""
	}
	return fmt.Sprintf(" (last check: %s)", out)
}

// serviceError builds the error for a container that failed, with the
// last lines of its log.
func (e *Engine) serviceError(ctx context.Context, service string, c container.InspectResponse, reason string) error {
	logs, _ := e.lastLogs(ctx, c.ID, 10)
	return &ServiceError{Service: service, Container: engineName(c.Name), Reason: reason, Logs: logs}
}
