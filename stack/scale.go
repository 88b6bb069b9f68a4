package stack

import (
	"context"
	"fmt"
)

// ScaleOptions shape a scale the way `docker compose scale`'s flags do.
type ScaleOptions struct {
	// Replicas is the number of containers wanted per service.
	Replicas map[string]int
	// NoDeps leaves the services they depend on alone.
	NoDeps bool
	// Progress receives each step as it happens.
	Progress ProgressFunc
}

// Scale sets the number of containers of some services and converges
// them (and, unless NoDeps, what they depend on) as up does: containers
// are created and started, or the highest numbers removed.
func (e *Engine) Scale(ctx context.Context, p *Project, opts ScaleOptions) error {
	if p == nil || p.model == nil {
		return fmt.Errorf("scale: the project was not loaded from a compose file")
	}
	services := sortedKeys(opts.Replicas)
	if err := p.checkServices(services, nil); err != nil {
		return fmt.Errorf("scale %s: %w", p.Name, err)
	}
	for _, name := range services {
		if opts.Replicas[name] < 0 {
			return fmt.Errorf("scale %s: %d replicas: want 0 or more", name, opts.Replicas[name])
		}
	}
	return e.up(ctx, p, UpOptions{Services: services, Scale: opts.Replicas, Progress: opts.Progress}, opts.NoDeps)
}
