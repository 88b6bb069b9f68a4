package stack

import (
	"context"
	"fmt"
)

// Create converges the project's containers as Up does (networks,
// volumes, images, create, recreate, scale) but starts nothing, like
// `docker compose create`. opts.Wait is ignored.
func (e *Engine) Create(ctx context.Context, p *Project, opts UpOptions) error {
	if p == nil {
		return fmt.Errorf("create: the project was not loaded from a compose file")
	}
	if err := p.checkServices(opts.Services, nil); err != nil {
		return fmt.Errorf("create %s: %w", p.Name, err)
	}
	opts.NoStart, opts.Wait = true, false
	return e.up(ctx, p, opts, false)
}
