package stack

import (
	"context"
	"fmt"
	"sort"

	"github.com/moby/moby/api/types/container"
	"github.com/moby/moby/client"
)

// Processes are the processes running in one container, as `ps` inside
// its namespace shows them: Titles name the columns of each row.
type Processes struct {
	Container string
	Service   string
	// Replica is the container number ("" for a container without one).
	Replica   string
	Titles    []string
	Processes [][]string
}

// Top lists the processes of the services' running containers (one-off
// containers included), sorted by container name. p may be nil.
func (e *Engine) Top(ctx context.Context, project string, p *Project, services []string) ([]Processes, error) {
	out, err := e.top(ctx, project, p, services)
	if err != nil {
		return nil, fmt.Errorf("top %s: %w", project, err)
	}
	return out, nil
}

func (e *Engine) top(ctx context.Context, project string, p *Project, services []string) ([]Processes, error) {
	cs, err := e.targets(ctx, project, p, targetOptions{services: services, oneOff: true, orphans: true,
		states: []container.ContainerState{container.StateRunning, container.StateRestarting, container.StatePaused}})
	if err != nil {
		return nil, err
	}
	out := make([]Processes, len(cs))
	err = eachIndexed(cs, func(i int, c container.Summary) error {
		res, err := e.api.ContainerTop(ctx, c.ID, client.ContainerTopOptions{})
		if err != nil {
			return fmt.Errorf("%s: %w", containerName(c), err)
		}
		out[i] = Processes{Container: containerName(c), Service: c.Labels[labelService], Replica: c.Labels[labelNumber],
			Titles: res.Titles, Processes: res.Processes}
		return nil
	})
	if err != nil {
		return nil, err
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Container < out[j].Container })
	return out, nil
}
