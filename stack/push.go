package stack

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"sync"

	"github.com/moby/moby/client"
	"golang.org/x/sync/errgroup"
)

// PushOptions shape a push the way `docker compose push`'s flags do.
type PushOptions struct {
	// Services restricts the push to these services (all when empty).
	Services []string
	// IgnoreFailures reports failed pushes and goes on.
	IgnoreFailures bool
	// Progress receives each step (ProgressPushing with byte counts).
	Progress ProgressFunc
}

// Push pushes the images of the services that have both build: and image:
// (and their build tags) to their registries, in parallel, with the docker
// CLI's credentials. Other services are skipped, as compose does.
func (e *Engine) Push(ctx context.Context, p *Project, opts PushOptions) error {
	if p.model == nil || p.model.project == nil {
		return fmt.Errorf("push %s: project was not loaded with stack.Load", p.Name)
	}
	model, err := p.model.project.WithSelectedServices(opts.Services)
	if err != nil {
		return fmt.Errorf("push %s: %w: %w", p.Name, ErrUnknownService, err)
	}
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(parallelLimit())
	var (
		mu   sync.Mutex
		errs []error
	)
	for _, name := range sortedKeys(model.Services) {
		sc := model.Services[name]
		if sc.Build == nil || sc.Image == "" {
			opts.Progress.report(Progress{Kind: ProgressSkipped, Service: name, Subject: name, Text: "no build section and image name to push"})
			continue
		}
		for _, tag := range append([]string{sc.Image}, sc.Build.Tags...) {
			g.Go(func() error {
				err := e.pushImage(gctx, tag, name, opts.Progress)
				if err != nil && !opts.IgnoreFailures {
					return err
				}
				if err != nil {
					mu.Lock()
					errs = append(errs, err)
					mu.Unlock()
				}
				return nil
			})
		}
	}
	if err := g.Wait(); err != nil {
		return err
	}
	if len(errs) > 0 {
		opts.Progress.report(Progress{Kind: ProgressWarning, Subject: p.Name, Text: errors.Join(errs...).Error()})
	}
	return nil
}

// pushImage pushes one reference through the engine and follows its progress.
func (e *Engine) pushImage(ctx context.Context, image, service string, progress ProgressFunc) error {
	ref, err := parseImageRef(image)
	if err != nil {
		return fmt.Errorf("push %s (service %s): %w", image, service, err)
	}
	t := newTransfer(ProgressPushing, image, []string{service}, progress)
	t.report(-1, ProgressPushing, "Pushing")
	fail := func(err error, secrets []string) error {
		ie := imageError("push", ref, []string{service}, "", err, secrets)
		t.report(-1, ProgressError, ie.Error())
		return ie
	}
	auth, secrets, err := registryAuth(ref)
	if err != nil {
		return fail(err, secrets)
	}
	resp, err := e.api.ImagePush(ctx, image, client.ImagePushOptions{RegistryAuth: auth})
	if err != nil {
		return fail(err, secrets)
	}
	defer resp.Close()
	for m, err := range resp.JSONMessages(ctx) {
		if err != nil {
			return fail(err, secrets)
		}
		if m.Error != nil {
			return fail(errors.New(m.Error.Message), secrets)
		}
		if m.Aux != nil {
			var aux struct{ Digest string }
			if json.Unmarshal(*m.Aux, &aux) == nil && aux.Digest != "" {
				t.status.Digest = aux.Digest
			}
		}
		t.apply(m)
	}
	t.report(-1, ProgressPushed, "Pushed")
	return nil
}
