package stack

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"slices"
	"sync"
	"time"

	"github.com/compose-spec/compose-go/v2/types"
	cerrdefs "github.com/containerd/errdefs"
	"github.com/moby/moby/api/types/container"
	"github.com/moby/moby/api/types/mount"
	"github.com/moby/moby/client"
)

// DownOptions shape a down the way `docker compose down`'s flags do.
type DownOptions struct {
	// Volumes also removes the project's named volumes and the containers'
	// anonymous volumes. Without it no volume is touched.
	Volumes bool
	// RemoveImages removes images too: "local" those built for services
	// without an image name, "all" every image the services use.
	RemoveImages string
	// RemoveOrphans also removes containers of services the project no
	// longer declares (only meaningful with a project).
	RemoveOrphans bool
	// Timeout overrides each container's stop_grace_period.
	Timeout *time.Duration
	// Progress receives each step as it happens.
	Progress ProgressFunc
}

// Down stops and removes a project's containers, dependents first, then
// its networks, and its volumes and images when asked. p may be nil: down
// then works from the engine's labels alone and removes every container
// of the project.
func (e *Engine) Down(ctx context.Context, project string, p *Project, opts DownOptions) error {
	summaries, err := e.listForDown(ctx, project)
	if err != nil {
		return fmt.Errorf("down %s: %w", project, err)
	}
	byService := map[string][]container.Summary{}
	for _, s := range summaries {
		svc := s.Labels[labelService]
		if p != nil && !opts.RemoveOrphans && !declares(p, svc) {
			opts.Progress.report(Progress{Kind: ProgressWarning, Service: svc, Subject: engineName(firstName(s)),
				Text: "orphan container kept: its service is no longer in the project; down with remove-orphans removes it"})
			continue
		}
		byService[svc] = append(byService[svc], s)
	}
	errs := []error{labelGraph(byService).walk(ctx, true, func(ctx context.Context, svc string) error {
		return e.removeServiceContainers(ctx, svc, serviceConfig(p, svc), byService[svc], opts)
	})}
	if ctx.Err() != nil {
		return fmt.Errorf("down %s: %w", project, ctx.Err())
	}
	errs = append(errs, e.removeNetworks(ctx, project, opts.Progress))
	if opts.Volumes {
		errs = append(errs, e.removeVolumes(ctx, project, p, opts.Progress))
	}
	if opts.RemoveImages != "" {
		errs = append(errs, e.removeImages(ctx, project, p, summaries, opts))
	}
	if err := errors.Join(errs...); err != nil {
		return fmt.Errorf("down %s: %w", project, err)
	}
	return nil
}

func declares(p *Project, service string) bool {
	_, ok := p.Service(service)
	return ok || slices.ContainsFunc(p.Inactive, func(s Service) bool { return s.Name == service })
}

func firstName(s container.Summary) string {
	if len(s.Names) == 0 {
		return s.ID
	}
	return s.Names[0]
}

// listForDown lists the containers down removes: those Compose sees as
// the project's, one-off containers included.
func (e *Engine) listForDown(ctx context.Context, project string) ([]container.Summary, error) {
	res, err := e.api.ContainerList(ctx, client.ContainerListOptions{
		All:     true,
		Filters: make(client.Filters).Add("label", projectLabelFilter(project), labelConfigHash),
	})
	if err != nil {
		return nil, fmt.Errorf("list containers: %w", err)
	}
	return res.Items, nil
}

// labelGraph rebuilds the dependency graph from the containers' depends_on
// labels, which works with or without the compose file.
func labelGraph(byService map[string][]container.Summary) depGraph {
	g := depGraph{}
	for svc, cs := range byService {
		g[svc] = nil
		for _, d := range parseDependsOnLabel(cs[0].Labels[labelDependsOn]) {
			g[svc] = append(g[svc], d.Service)
		}
	}
	return g
}

// removeServiceContainers stops and removes a service's containers
// concurrently.
func (e *Engine) removeServiceContainers(ctx context.Context, svc string, sc *types.ServiceConfig, cs []container.Summary, opts DownOptions) error {
	errs := make([]error, len(cs))
	var wg sync.WaitGroup
	for i, s := range cs {
		wg.Go(func() {
			o := observedFromSummary(s)
			if errs[i] = e.preStop(ctx, o, sc, opts.Progress); errs[i] != nil {
				return
			}
			if o.State == container.StateRunning || o.State == container.StateRestarting || o.State == container.StatePaused {
				if errs[i] = e.stopContainer(ctx, o, svc, opts.Timeout, opts.Progress); errs[i] != nil {
					return
				}
			}
			opts.Progress.report(Progress{Kind: ProgressRemoving, Service: svc, Subject: o.Name})
			_, err := e.api.ContainerRemove(ctx, o.ID, client.ContainerRemoveOptions{Force: true, RemoveVolumes: opts.Volumes})
			if err != nil && !cerrdefs.IsNotFound(err) {
				errs[i] = fmt.Errorf("remove %s: %w", o.Name, err)
				return
			}
			opts.Progress.report(Progress{Kind: ProgressRemoved, Service: svc, Subject: o.Name})
			if opts.Volumes {
				e.removeAnonymousVolumes(ctx, s)
			}
		})
	}
	wg.Wait()
	return errors.Join(errs...)
}

// removeAnonymousVolumes removes the anonymous volumes a removed container
// had. RemoveVolumes already takes those the engine created for it, but
// one carried over from a replaced container (as a recreate does, to keep
// its data) is mounted by name, and old engines keep it; a volume still in
// use elsewhere is left alone.
func (e *Engine) removeAnonymousVolumes(ctx context.Context, s container.Summary) {
	for _, m := range s.Mounts {
		if m.Type != mount.TypeVolume || !anonymousVolumeName.MatchString(m.Name) {
			continue
		}
		_, _ = e.api.VolumeRemove(ctx, m.Name, client.VolumeRemoveOptions{})
	}
}

// anonymousVolumeName is how the engine names the volumes it creates.
var anonymousVolumeName = regexp.MustCompile(`^[0-9a-f]{64}$`)

// removeNetworks removes the networks created for the project.
func (e *Engine) removeNetworks(ctx context.Context, project string, progress ProgressFunc) error {
	res, err := e.api.NetworkList(ctx, client.NetworkListOptions{Filters: make(client.Filters).Add("label", projectLabelFilter(project))})
	if err != nil {
		return fmt.Errorf("list networks: %w", err)
	}
	var errs []error
	for _, n := range res.Items {
		progress.report(Progress{Kind: ProgressRemoving, Subject: n.Name})
		if _, err := e.api.NetworkRemove(ctx, n.ID, client.NetworkRemoveOptions{}); err != nil && !cerrdefs.IsNotFound(err) {
			errs = append(errs, fmt.Errorf("remove network %s (containers of other projects may still use it): %w", n.Name, err))
			continue
		}
		progress.report(Progress{Kind: ProgressRemoved, Subject: n.Name})
	}
	return errors.Join(errs...)
}

// DownVolumes names the volumes a down with Volumes would remove, as the
// engine names them (a volume's `name:`, never an external one): the
// project's named volumes that exist, those it declares when p is set,
// otherwise all carrying its label. Ask before removing them.
func (e *Engine) DownVolumes(ctx context.Context, project string, p *Project) ([]string, error) {
	res, err := e.api.VolumeList(ctx, client.VolumeListOptions{Filters: make(client.Filters).Add("label", projectLabelFilter(project))})
	if err != nil {
		return nil, fmt.Errorf("list volumes of %s: %w", project, err)
	}
	var names []string
	for _, v := range res.Items {
		if p != nil && !slices.Contains(p.Volumes, v.Labels[labelVolume]) {
			continue
		}
		names = append(names, v.Name)
	}
	slices.Sort(names)
	return names, nil
}

// removeVolumes removes the volumes DownVolumes names.
func (e *Engine) removeVolumes(ctx context.Context, project string, p *Project, progress ProgressFunc) error {
	names, err := e.DownVolumes(ctx, project, p)
	if err != nil {
		return err
	}
	var errs []error
	for _, name := range names {
		progress.report(Progress{Kind: ProgressRemoving, Subject: name})
		if _, err := e.api.VolumeRemove(ctx, name, client.VolumeRemoveOptions{}); err != nil && !cerrdefs.IsNotFound(err) {
			errs = append(errs, fmt.Errorf("remove volume %s: %w", name, err))
			continue
		}
		progress.report(Progress{Kind: ProgressRemoved, Subject: name})
	}
	return errors.Join(errs...)
}

// removeImages removes the services' images: with "local" only those named
// after the service because it has no image: (<project>-<service>).
func (e *Engine) removeImages(ctx context.Context, project string, p *Project, summaries []container.Summary, opts DownOptions) error {
	if opts.RemoveImages != "local" && opts.RemoveImages != "all" {
		return fmt.Errorf("remove images: %q is neither \"local\" nor \"all\"", opts.RemoveImages)
	}
	images := map[string]bool{}
	add := func(service, image string) {
		if opts.RemoveImages == "all" || image == project+"-"+service {
			images[image] = true
		}
	}
	if p != nil {
		for _, s := range append(slices.Clone(p.Services), p.Inactive...) {
			add(s.Name, s.Image)
		}
	} else {
		for _, s := range summaries {
			add(s.Labels[labelService], s.Image)
		}
	}
	var errs []error
	for _, image := range sortedKeys(images) {
		opts.Progress.report(Progress{Kind: ProgressRemoving, Subject: image})
		_, err := e.api.ImageRemove(ctx, image, client.ImageRemoveOptions{})
		switch {
		case cerrdefs.IsNotFound(err):
		case cerrdefs.IsConflict(err):
			opts.Progress.report(Progress{Kind: ProgressWarning, Subject: image, Text: "image kept: other containers use it"})
		case err != nil:
			errs = append(errs, fmt.Errorf("remove image %s: %w", image, err))
		default:
			opts.Progress.report(Progress{Kind: ProgressRemoved, Subject: image})
		}
	}
	return errors.Join(errs...)
}
