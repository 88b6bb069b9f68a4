package stack

import (
	"context"
	"fmt"
	"slices"
	"sort"
	"strings"
	"time"

	cerrdefs "github.com/containerd/errdefs"
	"github.com/distribution/reference"
	"github.com/moby/moby/api/types/container"
	"github.com/moby/moby/client"
)

// ContainerImage is the image one container of a project was created
// from, as `docker compose images` reports it.
type ContainerImage struct {
	Container  string
	ID         string
	Repository string
	Tag        string
	// Platform is os/arch[/variant]; empty when the image is gone.
	Platform    string
	Size        int64
	Created     time.Time
	LastTagTime time.Time
}

// Images lists the image of every container of the project (one-off and
// orphaned containers included, as compose does), sorted by container
// name. An image removed since the container was created is reported with
// what the container knows. p may be nil.
func (e *Engine) Images(ctx context.Context, project string, p *Project, services []string) ([]ContainerImage, error) {
	out, err := e.images(ctx, project, p, services)
	if err != nil {
		return nil, fmt.Errorf("images %s: %w", project, err)
	}
	return out, nil
}

func (e *Engine) images(ctx context.Context, project string, p *Project, services []string) ([]ContainerImage, error) {
	res, err := e.api.ContainerList(ctx, client.ContainerListOptions{All: true, Filters: projectFilter(project)})
	if err != nil {
		return nil, fmt.Errorf("list containers: %w", err)
	}
	if err := p.checkServices(services, res.Items); err != nil {
		return nil, err
	}
	var cs []container.Summary
	for _, c := range res.Items {
		if len(services) == 0 || slices.Contains(services, c.Labels[labelService]) {
			cs = append(cs, c)
		}
	}
	out := make([]ContainerImage, len(cs))
	err = eachIndexed(cs, func(i int, c container.Summary) error {
		ci, err := e.containerImage(ctx, c)
		out[i] = ci
		return err
	})
	if err != nil {
		return nil, err
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Container < out[j].Container })
	return out, nil
}

// containerImage describes the image of one container. The repository and
// tag come from the reference the container was created with.
func (e *Engine) containerImage(ctx context.Context, c container.Summary) (ContainerImage, error) {
	ci := ContainerImage{Container: containerName(c), ID: c.ImageID}
	// A container whose image tag moved on reports the bare image ID.
	if ref, err := reference.ParseDockerRef(c.Image); err == nil && !strings.HasPrefix(c.Image, "sha256:") {
		ci.Repository = reference.FamiliarName(ref)
		if tagged, ok := ref.(reference.Tagged); ok {
			ci.Tag = tagged.Tag()
		}
	}
	img, err := e.api.ImageInspect(ctx, c.Image)
	if cerrdefs.IsNotFound(err) {
		return ci, nil
	}
	if err != nil {
		return ContainerImage{}, fmt.Errorf("inspect image %s of %s: %w", c.Image, ci.Container, err)
	}
	ci.ID = img.ID
	ci.Platform = img.Os + "/" + img.Architecture
	if img.Variant != "" {
		ci.Platform += "/" + img.Variant
	}
	ci.Size = img.Size
	ci.Created = parseInspectTime(img.Created)
	ci.LastTagTime = img.Metadata.LastTagTime
	return ci, nil
}
