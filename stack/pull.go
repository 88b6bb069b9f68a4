package stack

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/compose-spec/compose-go/v2/types"
	"github.com/moby/moby/client"
	ocispec "github.com/opencontainers/image-spec/specs-go/v1"
	"golang.org/x/sync/errgroup"
)

// PullOptions shape a pull the way `docker compose pull`'s flags do.
type PullOptions struct {
	// Services restricts the pull to these services (all when empty);
	// IncludeDeps adds what they depend on.
	Services    []string
	IncludeDeps bool
	// Policy overrides every service's pull_policy (see PullPolicies).
	Policy string
	// IgnoreFailures reports failed pulls and goes on; IgnoreBuildable
	// skips services that have a build section.
	IgnoreFailures, IgnoreBuildable bool
	// Progress receives each step (ProgressPulling with byte counts).
	Progress ProgressFunc
}

// Pull pulls the images of the project's services from their registries,
// each distinct image once and in parallel, with the credentials the docker
// CLI would use. Like `docker compose pull`, a service without pull_policy
// is always refreshed; never and build skip it. A failed pull of a service
// that can be built is a warning, as the image can be built instead.
func (e *Engine) Pull(ctx context.Context, p *Project, opts PullOptions) error {
	if err := checkPolicyOverride(opts.Policy); err != nil {
		return fmt.Errorf("pull %s: %w", p.Name, err)
	}
	if p.model == nil || p.model.project == nil {
		return fmt.Errorf("pull %s: project was not loaded with stack.Load", p.Name)
	}
	var fns []types.DependencyOption
	if !opts.IncludeDeps {
		fns = append(fns, types.IgnoreDependencies)
	}
	model, err := p.model.project.WithSelectedServices(opts.Services, fns...)
	if err != nil {
		return fmt.Errorf("pull %s: %w: %w", p.Name, ErrUnknownService, err)
	}
	local, err := e.inspectLocal(ctx, distinctImages(model))
	if err != nil {
		return fmt.Errorf("pull %s: %w", p.Name, err)
	}
	jobs, err := pullJobs(model, func(sc types.ServiceConfig, ref ImageRef) (bool, string, error) {
		if sc.Build != nil && opts.IgnoreBuildable {
			return false, "image can be built", nil
		}
		policy := sc.PullPolicy
		if opts.Policy != "" {
			policy = opts.Policy
		}
		li, ok := local[sc.Image]
		return shouldPull(policy, ref, li, ok, time.Now())
	}, opts.Progress)
	if err != nil {
		return fmt.Errorf("pull %s: %w", p.Name, err)
	}
	failed, err := e.pullAll(ctx, jobs, opts.IgnoreFailures, opts.Progress)
	var mustBuild []string
	for _, j := range failed {
		if j.buildable {
			mustBuild = append(mustBuild, j.services...)
		}
	}
	if len(mustBuild) > 0 {
		opts.Progress.report(Progress{Kind: ProgressWarning, Subject: p.Name, Text: "some service images must be built from source: devstack build " + strings.Join(mustBuild, " ")})
	}
	return err
}

// pullJob is one image to pull for one or more services.
type pullJob struct {
	ref       ImageRef
	services  []string
	platform  string
	buildable bool // a failed pull falls back to a build
}

// distinctImages lists the images the services name (sorted, once each).
func distinctImages(model *types.Project) []string {
	seen := map[string]bool{}
	for _, sc := range model.Services {
		if sc.Image != "" {
			seen[sc.Image] = true
		}
	}
	return sortedKeys(seen)
}

// pullJobs groups the services by image and keeps the images decide says
// to pull; skipped images are reported with the reason.
func pullJobs(model *types.Project, decide func(types.ServiceConfig, ImageRef) (bool, string, error), progress ProgressFunc) ([]pullJob, error) {
	byImage := map[string]*pullJob{}
	var order []string
	for _, name := range sortedKeys(model.Services) {
		sc := model.Services[name]
		if sc.Image == "" {
			continue
		}
		if j, ok := byImage[sc.Image]; ok {
			j.services = append(j.services, name)
			j.buildable = j.buildable || sc.Build != nil
			continue
		}
		ref, err := parseImageRef(sc.Image)
		if err != nil {
			return nil, fmt.Errorf("service %s: %w", name, err)
		}
		pull, why, err := decide(sc, ref)
		if err != nil {
			return nil, fmt.Errorf("service %s: pull_policy: %w", name, err)
		}
		if !pull {
			if why != "" {
				progress.report(Progress{Kind: ProgressSkipped, Service: name, Subject: sc.Image, Text: why})
			}
			byImage[sc.Image] = &pullJob{} // decided once per image
			continue
		}
		platform := sc.Platform
		if platform == "" {
			platform = model.Environment["DOCKER_DEFAULT_PLATFORM"]
		}
		byImage[sc.Image] = &pullJob{ref: ref, services: []string{name}, platform: platform, buildable: sc.Build != nil}
		order = append(order, sc.Image)
	}
	jobs := make([]pullJob, 0, len(order))
	for _, image := range order {
		jobs = append(jobs, *byImage[image])
	}
	return jobs, nil
}

// parallelLimit bounds concurrent pulls as compose does: by
// COMPOSE_PARALLEL_LIMIT when set, otherwise not at all (the engine queues
// layer downloads itself, three at a time by default).
func parallelLimit() int {
	if n, err := strconv.Atoi(os.Getenv("COMPOSE_PARALLEL_LIMIT")); err == nil && n > 0 {
		return n
	}
	return -1
}

// pullAll pulls the jobs in parallel. A failure of an image that cannot be
// built stops the others (compose's fail-fast), unless ignoreFailures; a
// buildable one's failure is only reported. It returns the failed jobs and
// the error to report.
func (e *Engine) pullAll(ctx context.Context, jobs []pullJob, ignoreFailures bool, progress ProgressFunc) ([]pullJob, error) {
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(parallelLimit())
	errs := make([]error, len(jobs))
	for i, j := range jobs {
		g.Go(func() error {
			err := e.pullImage(gctx, j, progress)
			errs[i] = err
			if err != nil && !ignoreFailures && !j.buildable {
				return err
			}
			return nil
		})
	}
	fatal := g.Wait()
	var failed []pullJob
	var all []error
	for i, err := range errs {
		if err == nil {
			continue
		}
		failed = append(failed, jobs[i])
		if !jobs[i].buildable && !errors.Is(err, context.Canceled) {
			all = append(all, err)
		}
	}
	if fatal == nil || ignoreFailures {
		return failed, nil
	}
	if err := ctx.Err(); err != nil {
		return failed, err
	}
	return failed, errors.Join(all...)
}

// pullImage pulls one image through the engine and follows its progress.
func (e *Engine) pullImage(ctx context.Context, j pullJob, progress ProgressFunc) error {
	t := newTransfer(ProgressPulling, j.ref.Original, j.services, progress)
	t.report(-1, ProgressPulling, "Pulling")
	fail := func(err error, secrets []string) error {
		ie := imageError("pull", j.ref, j.services, j.platform, err, secrets)
		kind := ProgressError
		if j.buildable {
			kind = ProgressWarning
		}
		if ctx.Err() != nil {
			t.report(-1, ProgressWarning, "Interrupted")
			return ctx.Err()
		}
		t.report(-1, kind, ie.Error())
		return ie
	}
	auth, secrets, err := registryAuth(j.ref)
	if err != nil {
		return fail(err, secrets)
	}
	var platforms []ocispec.Platform
	if j.platform != "" {
		pl, err := parsePlatform(j.platform)
		if err != nil {
			return fail(err, secrets)
		}
		platforms = append(platforms, pl)
	}
	resp, err := e.api.ImagePull(ctx, j.ref.Original, client.ImagePullOptions{RegistryAuth: auth, Platforms: platforms})
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
		t.apply(m)
	}
	if err := e.checkPlatform(ctx, j.ref.Original, platforms); err != nil {
		return fail(err, secrets)
	}
	t.report(-1, ProgressPulled, "Pulled")
	return nil
}

// checkPlatform fails when the pulled image is not for the platform asked
// for: older engines (20.10) pull a single-platform image whatever its
// platform and only refuse it when the container is created, after the
// stack's networks exist.
func (e *Engine) checkPlatform(ctx context.Context, image string, want []ocispec.Platform) error {
	if len(want) == 0 {
		return nil
	}
	img, err := e.api.ImageInspect(ctx, image)
	if err != nil {
		return fmt.Errorf("inspect the pulled image: %w", err)
	}
	w := want[0]
	if img.Os == w.OS && (w.Architecture == "" || img.Architecture == w.Architecture) && (w.Variant == "" || img.Variant == w.Variant) {
		return nil
	}
	got := strings.Trim(img.Os+"/"+img.Architecture+"/"+img.Variant, "/")
	return fmt.Errorf("image with reference %s was found but does not match the specified platform: wanted %s, actual: %s",
		image, strings.Trim(w.OS+"/"+w.Architecture+"/"+w.Variant, "/"), got)
}
