package stack

import (
	"context"
	"fmt"
	"time"

	"github.com/compose-spec/compose-go/v2/types"
	"github.com/docker/go-units"
	bkclient "github.com/moby/buildkit/client"
	"github.com/moby/buildkit/session/secrets/secretsprovider"
	"github.com/moby/buildkit/session/sshforward/sshprovider"

	"github.com/devstack/devstack/stack/internal/dockerfile"
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
	// remoteDockerfile is the Dockerfile's path inside a git context.
	remoteDockerfile string
	target           string
	// stage is the stage the image ends up running, recorded in its
	// stageLabel ("" when the Dockerfile could not be read).
	stage         string
	args          map[string]*string
	labels        map[string]string
	extraHosts    []string
	network       string
	shmSize       int64
	ulimits       []string
	noCache       bool
	noCacheFilter []string
	pull          bool
	platform      string
	privileged    bool
	contexts      map[string]string
	secrets       []secretsprovider.Source
	ssh           []sshprovider.AgentConfig
	cacheFrom     []bkclient.CacheOptionsEntry
	cacheTo       []bkclient.CacheOptionsEntry
	// builder is the buildx builder the user selected, for messages.
	builder string
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
	req := buildRequest{
		service:       name,
		tags:          append([]string{imageName(p.Name, sc)}, b.Tags...),
		contextDir:    b.Context,
		target:        b.Target,
		args:          resolvedBuildArgs(p, sc),
		labels:        map[string]string{},
		extraHosts:    b.ExtraHosts.AsList(":"),
		network:       b.Network,
		shmSize:       int64(b.ShmSize),
		ulimits:       buildUlimits(b.Ulimits),
		noCache:       opts.NoCache || b.NoCache,
		noCacheFilter: b.NoCacheFilter,
		pull:          opts.Pull || b.Pull,
		privileged:    b.Privileged,
		contexts:      b.AdditionalContexts,
		settings:      b,
	}
	if opts.Target != "" {
		req.target = opts.Target
	}
	if err := req.readDockerfile(p, sc); err != nil {
		return buildRequest{}, err
	}
	if err := req.setBuildKitOptions(p, sc); err != nil {
		return buildRequest{}, err
	}
	for k, v := range b.Labels {
		req.labels[k] = v
	}
	req.labels["com.docker.compose.project"] = p.Name
	req.labels["com.docker.compose.service"] = name
	if req.stage != "" {
		req.labels[stageLabel] = req.stage
	}
	return req, nil
}

// readDockerfile reads a local or inline Dockerfile and checks the target
// against its stages; a git context's Dockerfile is read by BuildKit.
func (req *buildRequest) readDockerfile(p *Project, sc types.ServiceConfig) error {
	b := sc.Build
	if isRemoteBuildContext(b.Context) && b.DockerfileInline == "" {
		req.remoteDockerfile = b.Dockerfile
		if req.remoteDockerfile == "" {
			req.remoteDockerfile = "Dockerfile"
		}
		return nil
	}
	df, err := readServiceDockerfile(p, sc)
	if err != nil {
		return err
	}
	req.dockerfile = df
	parsed, err := dockerfile.Parse(df.content)
	if err != nil {
		return fmt.Errorf("%s: %w", df.name, err)
	}
	stages := buildStages(parsed.Stages(req.args))
	stage, err := targetStage(stages, req.target, df.name)
	if err != nil {
		return err
	}
	req.stage = stageLabelValue(stage)
	return nil
}

func (e *Engine) buildService(ctx context.Context, p *Project, name string, opts BuildOptions) error {
	req, err := newBuildRequest(p, name, opts)
	if err != nil {
		return err
	}
	start := time.Now()
	opts.Progress.report(Progress{Kind: ProgressBuilding, Service: name, Subject: req.tags[0]})
	switch kind, info := e.chooseBuilder(ctx); kind {
	case builderBuildx:
		req.builder = selectedBuildxBuilder(e.Host)
		err = e.buildWithBuildx(ctx, req, opts.Progress)
	case builderEngineBuildKit:
		err = e.buildWithEngineBuildKit(ctx, req, info, opts.Progress)
	default:
		e.classicNotice(name, info, opts.Progress)
		err = e.buildClassic(ctx, req, info, opts.Progress)
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

// chooseBuilder picks the builder as docker compose with buildx does: a
// builder the user selected with `docker buildx use` runs through the
// buildx plugin; otherwise the engine's own BuildKit; the classic builder
// only when the engine has no BuildKit or DOCKER_BUILDKIT=0 says so.
func (e *Engine) chooseBuilder(ctx context.Context) (builderKind, buildKitInfo) {
	info := e.buildKit(ctx)
	if info.reason == "DOCKER_BUILDKIT=0" {
		return builderClassic, info
	}
	if selectedBuildxBuilder(e.Host) != "" && buildxPresent() {
		return builderBuildx, info
	}
	if info.available {
		return builderEngineBuildKit, info
	}
	return builderClassic, info
}

// buildUlimits writes ulimits as the frontend reads them: name=soft:hard.
func buildUlimits(u map[string]*types.UlimitsConfig) []string {
	var out []string
	for _, name := range sortedKeys(u) {
		l := u[name]
		if l == nil {
			continue
		}
		soft, hard := l.Soft, l.Hard
		if l.Single != 0 {
			soft, hard = l.Single, l.Single
		}
		out = append(out, fmt.Sprintf("%s=%d:%d", name, soft, hard))
	}
	return out
}
