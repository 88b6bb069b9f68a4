package stack

import (
	"context"
	"fmt"
	"slices"
	"sort"
	"sync"

	cerrdefs "github.com/containerd/errdefs"
	"github.com/moby/moby/api/types/container"
	"github.com/moby/moby/client"
)

// PsOptions choose which of a project's containers Ps lists.
type PsOptions struct {
	// Services restricts the list to these services (all when empty).
	Services []string
	// All includes stopped containers, like `docker compose ps -a`;
	// otherwise only running ones are listed.
	All bool
	// OneOff also lists the project's one-off containers (those of `run`,
	// Container.OneOff set), which `docker compose ps` leaves out: the
	// dashboard shows them in a section of their own.
	OneOff bool
}

// Ps lists a project's containers as `docker compose ps` sees them (those
// with Compose's project and config-hash labels), fully inspected:
// state, health, exit code, OOM kill, restarts, ports, mounts. They come
// sorted by service and number.
func (e *Engine) Ps(ctx context.Context, project string, opts PsOptions) ([]Container, error) {
	summaries, err := e.listFor(ctx, project, opts)
	if err != nil {
		return nil, fmt.Errorf("ps %s: %w", project, err)
	}
	var ids []string
	for _, s := range summaries {
		ids = append(ids, s.ID)
	}
	out := make([]Container, len(ids))
	errs := make([]error, len(ids))
	sizes := &imageSizes{e: e, known: map[string]int64{}}
	var wg sync.WaitGroup
	for i, id := range ids {
		wg.Go(func() {
			out[i], errs[i] = e.inspect(ctx, id, sizes)
		})
	}
	wg.Wait()
	var kept []Container
	for i, err := range errs {
		switch {
		case cerrdefs.IsNotFound(err):
			// removed between list and inspect: it is no longer there
		case err != nil:
			return nil, fmt.Errorf("ps %s: %w", project, err)
		default:
			kept = append(kept, out[i])
		}
	}
	sortContainers(kept)
	return kept, nil
}

// listFor lists the containers opts choose, from the engine's list alone.
func (e *Engine) listFor(ctx context.Context, project string, opts PsOptions) ([]container.Summary, error) {
	list := e.listProject
	if opts.OneOff {
		list = e.listProjectAndOneOffs
	}
	summaries, err := list(ctx, project, opts.All)
	if err != nil || len(opts.Services) == 0 {
		return summaries, err
	}
	return slices.DeleteFunc(summaries, func(s container.Summary) bool {
		return !slices.Contains(opts.Services, s.Labels[labelService])
	}), nil
}

// sortContainers orders a stack's containers by service and number, its
// one-off containers last.
func sortContainers(cs []Container) {
	sort.Slice(cs, func(i, j int) bool {
		if cs[i].OneOff != cs[j].OneOff {
			return cs[j].OneOff
		}
		if cs[i].Service != cs[j].Service {
			return cs[i].Service < cs[j].Service
		}
		return cs[i].Number < cs[j].Number
	})
}

// Inspect returns one container, by ID or name, as Ps describes it.
func (e *Engine) Inspect(ctx context.Context, id string) (Container, error) {
	c, err := e.inspect(ctx, id, &imageSizes{e: e, known: map[string]int64{}})
	if err != nil {
		return Container{}, fmt.Errorf("inspect %s: %w", id, engineErr(err))
	}
	return c, nil
}

func (e *Engine) inspect(ctx context.Context, id string, sizes *imageSizes) (Container, error) {
	res, err := e.api.ContainerInspect(ctx, id, client.ContainerInspectOptions{})
	if err != nil {
		return Container{}, err
	}
	c := containerFromInspect(res.Container)
	c.ImageSize = sizes.of(ctx, c.ImageID)
	return c, nil
}

// imageSizes looks each image's size up once per call.
type imageSizes struct {
	e     *Engine
	mu    sync.Mutex
	known map[string]int64
}

func (s *imageSizes) of(ctx context.Context, imageID string) int64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	if size, ok := s.known[imageID]; ok || imageID == "" {
		return size
	}
	res, err := s.e.api.ImageInspect(ctx, imageID)
	if err == nil {
		s.known[imageID] = res.Size
	}
	return s.known[imageID]
}

// listProject lists the containers Compose considers part of a project:
// project label and config-hash label, not one-off.
func (e *Engine) listProject(ctx context.Context, project string, all bool) ([]container.Summary, error) {
	return e.listLabelled(ctx, all, projectLabelFilter(project), labelConfigHash, labelOneOff+"=False")
}

// listProjectAndOneOffs lists them and the project's one-off containers.
func (e *Engine) listProjectAndOneOffs(ctx context.Context, project string, all bool) ([]container.Summary, error) {
	return e.listLabelled(ctx, all, projectLabelFilter(project), labelConfigHash)
}

func (e *Engine) listLabelled(ctx context.Context, all bool, labels ...string) ([]container.Summary, error) {
	res, err := e.api.ContainerList(ctx, client.ContainerListOptions{
		All:     all,
		Filters: make(client.Filters).Add("label", labels...),
	})
	if err != nil {
		return nil, fmt.Errorf("list containers: %w", err)
	}
	return res.Items, nil
}
