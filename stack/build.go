package stack

import (
	"context"
	"fmt"
	"time"

	"github.com/compose-spec/compose-go/v2/types"
	"github.com/docker/go-units"
	buildtypes "github.com/moby/moby/api/types/build"
	"github.com/moby/moby/client"
)

// BuildOptions select what Build builds and how.
type BuildOptions struct {
	// Services to build; empty means every active service with a build
	// section.
	Services []string
	// Target overrides the configured target stage; only valid with
	// exactly one service.
	Target string
	// NoCache builds every step afresh.
	NoCache bool
	// Pull checks for newer versions of the base images.
	Pull bool
	// Progress receives ProgressBuilding, each output line
	// (ProgressOutput) and ProgressBuilt with "<duration> <size>".
	Progress ProgressFunc
}

// Build builds the images of services, one after the other, tagged as their
// containers expect (image:, or <project>-<service>) and labelled with the
// project and service so PruneImages finds what rebuilds leave behind. It
// uses the docker buildx plugin when present, as compose does, and the
// engine's classic builder otherwise; a Dockerfile that needs BuildKit then
// fails before anything is sent, with an error wrapping ErrNeedsBuildKit.
func (e *Engine) Build(ctx context.Context, p *Project, opts BuildOptions) error {
	if p == nil || p.model == nil {
		return fmt.Errorf("build: %w", ErrNoProject)
	}
	names, err := servicesToBuild(p, opts)
	if err != nil {
		return err
	}
	for _, name := range names {
		if err := e.buildService(ctx, p, name, opts); err != nil {
			return fmt.Errorf("build %s: %w", name, err)
		}
	}
	return nil
}

func servicesToBuild(p *Project, opts BuildOptions) ([]string, error) {
	names := opts.Services
	if len(names) == 0 {
		for _, name := range p.ServiceNames() {
			if p.model.project.Services[name].Build != nil {
				names = append(names, name)
			}
		}
	}
	for _, name := range names {
		if _, err := buildableService(p, name); err != nil {
			return nil, fmt.Errorf("build %s: %w", name, err)
		}
	}
	if opts.Target != "" && len(names) != 1 {
		return nil, fmt.Errorf("build: a target stage (%s) applies to one service, not %d: name the service", opts.Target, len(names))
	}
	return names, nil
}

// buildRequest is everything one image build needs, whichever builder runs it.
type buildRequest struct {
	service    string
	tags       []string
	contextDir string
	dockerfile dockerfileSource
	target     string
	args       map[string]*string
	labels     map[string]string
	extraHosts []string
	network    string
	shmSize    int64
	noCache    bool
	pull       bool
	// settings is the compose build section, for checks of what the
	// classic builder cannot do.
	settings *types.BuildConfig
}

func newBuildRequest(p *Project, name string, opts BuildOptions) (buildRequest, error) {
	sc, err := buildableService(p, name)
	if err != nil {
		return buildRequest{}, err
	}
	b := sc.Build
	if isRemoteBuildContext(b.Context) {
		return buildRequest{}, fmt.Errorf("build context %s is remote: devstack builds from local folders only", b.Context)
	}
	df, err := readServiceDockerfile(p, sc)
	if err != nil {
		return buildRequest{}, err
	}
	req := buildRequest{
		service:    name,
		tags:       append([]string{imageName(p.Name, sc)}, b.Tags...),
		contextDir: b.Context,
		dockerfile: df,
		target:     b.Target,
		args:       resolvedBuildArgs(p, sc),
		labels:     map[string]string{},
		extraHosts: b.ExtraHosts.AsList(":"),
		network:    b.Network,
		shmSize:    int64(b.ShmSize),
		noCache:    opts.NoCache || b.NoCache,
		pull:       opts.Pull || b.Pull,
		settings:   b,
	}
	if opts.Target != "" {
		req.target = opts.Target
	}
	for k, v := range b.Labels {
		req.labels[k] = v
	}
	req.labels["com.docker.compose.project"] = p.Name
	req.labels["com.docker.compose.service"] = name
	return req, nil
}

func (e *Engine) buildService(ctx context.Context, p *Project, name string, opts BuildOptions) error {
	req, err := newBuildRequest(p, name, opts)
	if err != nil {
		return err
	}
	start := time.Now()
	opts.Progress.report(Progress{Kind: ProgressBuilding, Service: name, Subject: req.tags[0]})
	if buildxAvailable() {
		err = e.buildWithBuildx(ctx, req, opts.Progress)
	} else {
		err = e.buildClassic(ctx, req, opts.Progress)
	}
	if err != nil {
		return err
	}
	info, err := e.ImageInfo(ctx, req.tags[0])
	if err != nil {
		return err
	}
	opts.Progress.report(Progress{
		Kind:    ProgressBuilt,
		Service: name,
		Subject: req.tags[0],
		Text:    fmt.Sprintf("%s %s", time.Since(start).Round(100*time.Millisecond), units.HumanSize(float64(info.Size))),
	})
	return nil
}

// buildClassic sends the context to the engine's /build endpoint with the
// classic builder, which every engine has.
func (e *Engine) buildClassic(ctx context.Context, req buildRequest, progress ProgressFunc) error {
	if err := classicBuildSettings(req.settings); err != nil {
		return err
	}
	df, err := parseDockerfile(req.dockerfile.content)
	if err != nil {
		return fmt.Errorf("%s: %w", req.dockerfile.name, err)
	}
	if uses := buildKitFeatures(df); len(uses) > 0 {
		return needsBuildKitError(req.dockerfile.name, uses)
	}
	archive, err := archiveBuildContext(req.contextDir, req.dockerfile)
	if err != nil {
		return err
	}
	defer archive.Close()
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	resp, err := e.api.ImageBuild(ctx, archive, client.ImageBuildOptions{
		Version:    buildtypes.BuilderV1,
		Tags:       req.tags,
		Dockerfile: archive.Dockerfile,
		Target:     req.target,
		BuildArgs:  req.args,
		Labels:     req.labels,
		NoCache:    req.noCache,
		PullParent: req.pull,
		// Remove the containers of failed steps too: a failed rebuild
		// must not leave litter on the engine.
		Remove:      true,
		ForceRemove: true,
		ExtraHosts:  req.extraHosts,
		NetworkMode: req.network,
		ShmSize:     req.shmSize,
	})
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if _, err := readBuildStream(resp.Body, req.service, progress); err != nil {
		// Closing the connection is what stops the engine's build; say so
		// rather than report a broken stream.
		if ctxErr := ctx.Err(); ctxErr != nil {
			return fmt.Errorf("build stopped: %w", ctxErr)
		}
		return err
	}
	return nil
}
