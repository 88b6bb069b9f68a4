package stack

import (
	"context"
	"fmt"
	"sort"

	"github.com/compose-spec/compose-go/v2/types"
	cerrdefs "github.com/containerd/errdefs"
)

// ensureImages finds the image ID of every selected service, building the
// images that are missing (and, with Build or pull_policy: build, all
// buildable ones). No image is
// ever pulled: a missing image without a build section is an error that
// says so.
func (r *upRun) ensureImages(ctx context.Context) (map[string]string, error) {
	ids, missing, err := r.lookupImages(ctx)
	if err != nil {
		return nil, err
	}
	var toBuild []string
	for _, name := range sortedKeys(r.model.Services) {
		sc := r.model.Services[name]
		image := imageName(r.model.Name, sc)
		switch {
		case sc.Build != nil && (r.opts.Build || sc.PullPolicy == types.PullPolicyBuild) && !r.opts.NoBuild:
			toBuild = append(toBuild, name)
		case !missing[name]:
			if drift := stageDrift(r.project, name, image, r.imageStages[name]); drift != "" {
				r.progress.report(Progress{Kind: ProgressWarning, Service: name, Subject: image, Text: drift})
			}
		case sc.Build == nil:
			return nil, fmt.Errorf("up %s: image %s not found locally; pull it or build it", name, image)
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
				stages[i] = res.Config.Labels[StageLabel]
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
