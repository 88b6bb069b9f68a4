package stack

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sort"
	"strings"
	"sync"

	"github.com/compose-spec/compose-go/v2/types"
	cerrdefs "github.com/containerd/errdefs"
	"github.com/moby/moby/api/types/container"
	"github.com/moby/moby/client"
)

// convergeService plans and applies one service's containers: keeps the
// up-to-date ones, replaces the outdated ones, creates and removes to
// reach its scale. It runs once the services it depends on are converged.
func (r *upRun) convergeService(ctx context.Context, name string) error {
	sc, hash, plan, err := r.planFor(name)
	if err != nil {
		return fmt.Errorf("up %s: %w", name, err)
	}
	if len(plan.Recreate) > 0 {
		if err := r.stopRestartDependents(ctx, name); err != nil {
			return err
		}
	}
	current := slices.Clone(plan.Keep)
	for _, o := range plan.Remove {
		if err := r.e.preStop(ctx, o, &sc, r.progress); err != nil {
			return fmt.Errorf("up %s: scale down: %w", name, err)
		}
		if err := r.e.removeContainer(ctx, o, name, r.opts.StopTimeout, r.progress); err != nil {
			return fmt.Errorf("up %s: scale down: %w", name, err)
		}
	}
	for _, o := range plan.Recreate {
		c, err := r.recreate(ctx, sc, hash, o)
		if err != nil {
			return fmt.Errorf("up %s: recreate %s: %w", name, o.Name, err)
		}
		current = append(current, c)
	}
	created, err := r.createAll(ctx, sc, hash, plan.Create)
	current = append(current, created...)
	if err != nil {
		return err
	}
	if plan.changes() {
		r.changed.Store(true)
	}
	sort.Slice(current, func(i, j int) bool { return current[i].Number < current[j].Number })
	r.mu.Lock()
	r.current[name] = current
	r.mu.Unlock()
	return nil
}

// createAll creates the numbered containers of a service concurrently and
// returns those it created, even when another failed.
func (r *upRun) createAll(ctx context.Context, sc types.ServiceConfig, hash string, numbers []int) ([]observed, error) {
	out := make([]observed, len(numbers))
	errs := make([]error, len(numbers))
	var wg sync.WaitGroup
	for i, n := range numbers {
		wg.Go(func() {
			cname := containerNameFor(r.model.Name, sc, n)
			r.progress.report(Progress{Kind: ProgressCreating, Service: sc.Name, Subject: cname})
			out[i], errs[i] = r.create(ctx, sc, createTarget{number: n, name: cname, labels: r.labels(sc, n, hash)})
			out[i].fresh = true
			if errs[i] != nil {
				errs[i] = fmt.Errorf("up %s: create %s: %w", sc.Name, cname, errs[i])
				return
			}
			r.progress.report(Progress{Kind: ProgressCreated, Service: sc.Name, Subject: cname})
		})
	}
	wg.Wait()
	var made []observed
	for i := range numbers {
		if errs[i] == nil {
			made = append(made, out[i])
		}
	}
	return made, errors.Join(errs...)
}

// desired is what the service's containers must look like.
func (r *upRun) desired(sc types.ServiceConfig, hash string) desired {
	d := desired{Scale: scaleOf(sc), Hash: hash, ImageID: r.images[sc.Name], Policy: recreateDiverged}
	if sc.NetworkMode == "" {
		for key := range sc.Networks {
			d.Networks = append(d.Networks, r.networks[key])
		}
	}
	for _, v := range sc.Volumes {
		if v.Type == types.VolumeTypeVolume && v.Source != "" {
			d.Volumes = append(d.Volumes, r.model.Volumes[v.Source].Name)
		}
	}
	switch {
	case r.opts.NoRecreate:
		d.Policy = recreateNever
	case r.opts.ForceRecreate && (len(r.opts.Services) == 0 || slices.Contains(r.opts.Services, sc.Name)):
		d.Policy = recreateForce
	}
	return d
}

// labels are the labels of container n of the service. depends_on comes
// from the whole project, not the selection, so that an up of a single
// service writes the same label as an up of all.
func (r *upRun) labels(sc types.ServiceConfig, n int, hash string) map[string]string {
	full := r.project.model.project
	if all, ok := full.Services[sc.Name]; ok {
		deps := types.DependsOnConfig{}
		for dep, d := range all.DependsOn {
			if _, ok := full.Services[dep]; ok || d.Required {
				deps[dep] = d
			}
		}
		sc.DependsOn = deps
	}
	return containerLabels(r.model, sc, n, hash, r.images[sc.Name])
}

// resolveRefs points service: references (network_mode, ipc, pid,
// volumes_from) at the referenced service's first container, as Compose
// does before hashing and creating.
func (r *upRun) resolveRefs(sc types.ServiceConfig) (types.ServiceConfig, error) {
	first := func(ref string) (string, error) {
		cs := r.containersOf(ref)
		if len(cs) == 0 {
			return "", fmt.Errorf("service %s has no container to share with %s", ref, sc.Name)
		}
		return cs[0].ID, nil
	}
	for _, mode := range []*string{&sc.NetworkMode, &sc.Ipc, &sc.Pid} {
		if ref, ok := strings.CutPrefix(*mode, types.ServicePrefix); ok {
			id, err := first(ref)
			if err != nil {
				return sc, err
			}
			*mode = types.ContainerPrefix + id
		}
	}
	from := slices.Clone(sc.VolumesFrom)
	for i, v := range from {
		ref, _, _ := strings.Cut(v, ":")
		if ref == "container" {
			from[i] = strings.SplitN(v, ":", 3)[1]
			continue
		}
		// Compose drops the :ro/:rw suffix here; the hash depends on it.
		id, err := first(ref)
		if err != nil {
			return sc, err
		}
		from[i] = id
	}
	sc.VolumesFrom = from
	return sc, nil
}

// stopRestartDependents stops the containers of services that declared
// `restart: true` on this one, so the start phase restarts them once it is
// back.
func (r *upRun) stopRestartDependents(ctx context.Context, name string) error {
	for _, dep := range r.model.GetDependentsForService(r.model.Services[name], func(d types.ServiceDependency) bool { return d.Restart }) {
		for _, o := range r.observed[dep] {
			if o.State != container.StateRunning {
				continue
			}
			if err := r.e.stopContainer(ctx, o, dep, r.opts.StopTimeout, r.progress); err != nil {
				return fmt.Errorf("up %s: stop %s (it restarts with %s): %w", name, o.Name, name, err)
			}
		}
	}
	return nil
}

// create creates one container and connects it to the networks the
// engine could not take at create time.
func (r *upRun) create(ctx context.Context, sc types.ServiceConfig, t createTarget) (observed, error) {
	t.apiVersion = r.api
	t.links = legacyLinks(r.model.Name, sc, t.number, r.containerNames)
	name := t.name
	spec, err := buildCreateSpec(r.model, sc, t)
	if err != nil {
		return observed{}, err
	}
	res, err := r.e.api.ContainerCreate(ctx, spec.opts)
	if err != nil {
		return observed{}, err
	}
	for _, w := range res.Warnings {
		r.progress.report(Progress{Kind: ProgressWarning, Service: sc.Name, Subject: name, Text: w})
	}
	for _, j := range spec.joinLater {
		_, err := r.e.api.NetworkConnect(ctx, j.network, client.NetworkConnectOptions{Container: res.ID, EndpointConfig: j.endpoint})
		if err != nil {
			_, _ = r.e.api.ContainerRemove(context.WithoutCancel(ctx), res.ID, client.ContainerRemoveOptions{Force: true})
			return observed{}, fmt.Errorf("connect to network %s: %w", j.network, err)
		}
	}
	return observed{ID: res.ID, Name: name, Number: t.number, State: container.StateCreated}, nil
}

// recreate replaces a container the way Compose does: the new one is
// created under a temporary name next to the old one, then the old one is
// stopped and removed and the new one takes its name.
func (r *upRun) recreate(ctx context.Context, sc types.ServiceConfig, hash string, old observed) (observed, error) {
	final := containerNameFor(r.model.Name, sc, old.Number)
	r.progress.report(Progress{Kind: ProgressRecreating, Service: sc.Name, Subject: final})
	labels := r.labels(sc, old.Number, hash)
	labels[labelReplace] = replacedLabel(sc, old.Number)
	img, err := r.e.api.ImageInspect(ctx, imageName(r.model.Name, sc))
	if err != nil {
		return observed{}, fmt.Errorf("inspect image: %w", err)
	}
	var imageVolumes map[string]struct{}
	if img.Config != nil {
		imageVolumes = img.Config.Volumes
	}
	target := createTarget{number: old.Number, name: replacementName(old.ID, final), labels: labels,
		inherit: inheritedVolumes(sc, imageVolumes, old.Mounts)}
	c, err := r.create(ctx, sc, target)
	if cerrdefs.IsConflict(err) {
		if removed, rerr := r.e.removeStaleReplacement(ctx, r.model.Name, sc.Name, target.name); rerr != nil {
			return observed{}, fmt.Errorf("%w (and removing the leftover: %w)", err, rerr)
		} else if removed {
			c, err = r.create(ctx, sc, target)
		}
	}
	if err != nil {
		return observed{}, err
	}
	if err := r.e.preStop(ctx, old, &sc, r.progress); err != nil {
		return observed{}, err
	}
	if err := r.e.removeContainer(ctx, old, sc.Name, r.opts.StopTimeout, nil); err != nil {
		return observed{}, err
	}
	if _, err := r.e.api.ContainerRename(ctx, c.ID, client.ContainerRenameOptions{NewName: final}); err != nil {
		return observed{}, fmt.Errorf("rename %s to %s: %w", c.Name, final, err)
	}
	c.Name = final
	r.progress.report(Progress{Kind: ProgressRecreated, Service: sc.Name, Subject: final})
	return c, nil
}

// containersOf are a service's containers by number: as converged by this
// up, or as found when the service is not part of it (Recreate of another).
func (r *upRun) containersOf(service string) []observed {
	r.mu.Lock()
	defer r.mu.Unlock()
	if cs, converged := r.current[service]; converged {
		return slices.Clone(cs)
	}
	cs := slices.Clone(r.observed[service])
	sort.Slice(cs, func(i, j int) bool { return cs[i].Number < cs[j].Number })
	return cs
}

// containerNames are the names of a service's containers.
func (r *upRun) containerNames(service string) []string {
	var names []string
	for _, c := range r.containersOf(service) {
		names = append(names, c.Name)
	}
	return names
}
