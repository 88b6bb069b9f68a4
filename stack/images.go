package stack

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"sync"
	"time"

	"github.com/compose-spec/compose-go/v2/types"
	cerrdefs "github.com/containerd/errdefs"
)

// ensureImages makes the image of every selected service present: it pulls
// what the pull policies ask for (missing images by default), then builds
// the images that are still missing (and, with Build or pull_policy: build,
// all buildable ones), and returns each service's image ID. A failed pull
// of an image that cannot be built ends the up before anything is created,
// unless IgnorePullFailures.
func (r *upRun) ensureImages(ctx context.Context) (map[string]string, error) {
	failed, err := r.pullImages(ctx)
	if err != nil {
		return nil, err
	}
	ids, missing, err := r.lookupImages(ctx)
	if err != nil {
		return nil, err
	}
	var toBuild []string
	for _, name := range sortedKeys(r.model.Services) {
		sc := r.model.Services[name]
		image := imageName(r.model.Name, sc)
		switch {
		case sc.Build != nil && r.policy(sc) == types.PullPolicyBuild && !r.opts.NoBuild:
			toBuild = append(toBuild, name)
		case !missing[name]:
			if drift := stageDrift(r.project, name, image, r.imageStages[name]); drift != "" {
				r.progress.report(Progress{Kind: ProgressWarning, Service: name, Subject: image, Text: drift})
			}
		case sc.Build == nil:
			return nil, r.missingImage(name, sc, failed[sc.Image])
		case r.opts.NoBuild:
			return nil, fmt.Errorf("up %s: image %s not found locally and building is switched off", name, image)
		default:
			toBuild = append(toBuild, name)
		}
	}
	if len(toBuild) == 0 {
		return ids, nil
	}
	if err := r.e.buildForUp(ctx, r.project, toBuild, r.progress); err != nil {
		return nil, fmt.Errorf("up %s: %w", r.model.Name, err)
	}
	r.changed.Store(true)
	if ids, missing, err = r.lookupImages(ctx); err != nil {
		return nil, err
	}
	for _, name := range toBuild {
		if missing[name] {
			return nil, fmt.Errorf("up %s: image %s is still missing after the build", name, imageName(r.model.Name, r.model.Services[name]))
		}
	}
	return ids, nil
}

// policy is the service's pull policy for this up: --build makes it build
// for buildable services, and --pull overrides it, as compose does.
func (r *upRun) policy(sc types.ServiceConfig) string {
	switch {
	case r.opts.Build && sc.Build != nil:
		return types.PullPolicyBuild
	case r.opts.Pull != "":
		return r.opts.Pull
	}
	return sc.PullPolicy
}

// pullImages pulls the images the policies ask for, and returns the images
// whose pull failed without ending the up (buildable ones, or all with
// IgnorePullFailures).
func (r *upRun) pullImages(ctx context.Context) (map[string]error, error) {
	local, err := r.e.inspectLocal(ctx, distinctImages(r.model))
	if err != nil {
		return nil, fmt.Errorf("up %s: %w", r.model.Name, err)
	}
	now := time.Now()
	jobs, err := pullJobs(r.model, func(sc types.ServiceConfig, _ ImageRef) (bool, string, error) {
		li, ok := local[sc.Image]
		pull, err := mustPull(r.policy(sc), li, ok, now)
		return pull, "", err
	}, r.progress)
	if err != nil {
		return nil, fmt.Errorf("up %s: %w", r.model.Name, err)
	}
	if len(jobs) == 0 {
		return nil, nil
	}
	r.changed.Store(true)
	failed := map[string]error{}
	var mu sync.Mutex
	progress := func(p Progress) {
		if p.Pull != nil && (p.Kind == ProgressError || p.Kind == ProgressWarning) {
			mu.Lock()
			failed[p.Subject] = errors.New(p.Text)
			mu.Unlock()
		}
		r.progress.report(p)
	}
	if _, err := r.e.pullAll(ctx, jobs, r.opts.IgnorePullFailures, progress); err != nil {
		return nil, fmt.Errorf("up %s: %w", r.model.Name, err)
	}
	return failed, nil
}

// missingImage is the error for a service whose image is absent and cannot
// be built: pull_policy never, or a pull that failed and was ignored.
func (r *upRun) missingImage(name string, sc types.ServiceConfig, pullErr error) error {
	ref, err := parseImageRef(sc.Image)
	if err != nil {
		return fmt.Errorf("up %s: %w", name, err)
	}
	if pullErr != nil {
		return fmt.Errorf("up %s: image %s is not present locally and its pull failed: %w", name, sc.Image, pullErr)
	}
	if r.policy(sc) == types.PullPolicyNever {
		return fmt.Errorf("up %s: %w", name, &ImageError{Op: "pull", Image: sc.Image, Registry: ref.Registry, Services: []string{name}, Reason: ErrPullPolicyNever})
	}
	return fmt.Errorf("up %s: image %s not found locally; pull it or build it", name, sc.Image)
}

// lookupImages inspects each distinct image once and returns the image ID
// of every service, and which services' images are missing.
func (r *upRun) lookupImages(ctx context.Context) (ids map[string]string, missing map[string]bool, err error) {
	byImage := map[string][]string{}
	for name, sc := range r.model.Services {
		image := imageName(r.model.Name, sc)
		byImage[image] = append(byImage[image], name)
	}
	images := sortedKeys(byImage)
	found := make([]string, len(images))
	stages := make([]string, len(images))
	errs := make([]error, len(images))
	done := make(chan int)
	for i, image := range images {
		go func() {
			res, err := r.e.api.ImageInspect(ctx, image)
			found[i], errs[i] = res.ID, err
			if err == nil && res.Config != nil {
				stages[i] = res.Config.Labels[stageLabel]
			}
			done <- i
		}()
	}
	for range images {
		<-done
	}
	ids, missing = map[string]string{}, map[string]bool{}
	r.imageStages = map[string]string{}
	for i, image := range images {
		services := byImage[image]
		sort.Strings(services)
		switch {
		case cerrdefs.IsNotFound(errs[i]):
			for _, s := range services {
				missing[s] = true
			}
		case errs[i] != nil:
			return nil, nil, fmt.Errorf("up %s: inspect image %s: %w", services[0], image, errs[i])
		default:
			for _, s := range services {
				ids[s] = found[i]
				r.imageStages[s] = stages[i]
			}
		}
	}
	return ids, missing, nil
}

// buildForUp builds the images of the given services, as up does before
// creating containers.
func (e *Engine) buildForUp(ctx context.Context, p *Project, services []string, progress ProgressFunc) error {
	return e.Build(ctx, p, BuildOptions{Services: services, Progress: progress})
}
