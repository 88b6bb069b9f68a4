package stack

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/compose-spec/compose-go/v2/types"
	cerrdefs "github.com/containerd/errdefs"
	"github.com/moby/moby/api/types/container"
	"github.com/moby/moby/client"

	"github.com/devstack/devstack/stack/internal/confighash"
)

// labelSlug is Compose's label with a one-off container's random identity.
const labelSlug = "com.docker.compose.slug"

// RunOptions shape a one-off container the way `docker compose run`'s
// flags do.
type RunOptions struct {
	Service string
	// Cmd replaces the service's command when not empty.
	Cmd []string
	// Entrypoint replaces the service's entrypoint when not nil (then the
	// command is dropped unless Cmd is given, as in Compose).
	Entrypoint []string
	// Env adds or overrides variables: KEY=VALUE, or KEY to take it from
	// devstack's own environment.
	Env           []string
	User, WorkDir string
	// Volumes are extra -v mounts (SRC:DST[:MODE]); Ports extra -p
	// publications. ServicePorts publishes the service's own ports, which a
	// one-off container does not by default.
	Volumes, Ports []string
	ServicePorts   bool
	// Name replaces the <project>-<service>-run-<id> container name.
	Name string
	// NoDeps skips starting the services it depends on.
	NoDeps bool
	// Remove removes the container when it ends, however it ends.
	Remove bool
	// Detach starts the container and returns without waiting.
	Detach bool
	// TTY gives the command a terminal; Interactive keeps its stdin open
	// and feeds it from Stdin.
	TTY, Interactive bool
	Stdin            io.Reader
	Stdout, Stderr   io.Writer
	// Size is the terminal's size at start; Resize delivers new sizes.
	Size   TermSize
	Resize <-chan TermSize
	// Progress receives the steps of starting dependencies and building.
	Progress ProgressFunc
}

// RunResult is what a run left behind.
type RunResult struct {
	ID, Name string
	// ExitCode is the command's exit code (0 when detached).
	ExitCode int
}

// Run creates and runs a one-off container of a service, labelled as
// Compose labels them (oneoff True, a slug, no container number) so that
// `docker compose ps -a` and `down` see it. Dependencies are started first
// unless NoDeps. Unless detached it attaches the streams, waits for the
// command to end and returns its exit code; with Remove the container is
// removed however the run ends, ctx cancelled included.
func (e *Engine) Run(ctx context.Context, p *Project, opts RunOptions) (res RunResult, err error) {
	fail := func(err error) (RunResult, error) { return RunResult{}, fmt.Errorf("run %s: %w", opts.Service, err) }
	if p.model == nil || p.model.project == nil {
		return fail(fmt.Errorf("project was not loaded with stack.Load"))
	}
	full := p.model.project
	sc, ok := full.Services[opts.Service]
	if !ok {
		return fail(ErrUnknownService)
	}
	if err := e.runDependencies(ctx, p, sc, opts); err != nil {
		return fail(err)
	}
	// As compose run: with --no-deps the service is selected alone, which
	// also clears its depends_on (and so its depends_on label).
	var deps []types.DependencyOption
	if opts.NoDeps {
		deps = append(deps, types.IgnoreDependencies)
	}
	model, err := full.WithSelectedServices([]string{opts.Service}, deps...)
	if err != nil {
		return fail(err)
	}
	sc, err = applyRunOptions(model, model.Services[opts.Service], opts)
	if err != nil {
		return fail(err)
	}
	model.Services[sc.Name] = sc
	id, name, err := e.createOneOff(ctx, p, model, sc, opts)
	if err != nil {
		return fail(err)
	}
	res = RunResult{ID: id, Name: name}
	if opts.Detach {
		// The engine removes it when it ends (AutoRemove), as with compose.
		_, err := e.api.ContainerStart(ctx, id, client.ContainerStartOptions{})
		if err == nil {
			err = e.postStart(ctx, observed{ID: id, Name: name}, sc, opts.Progress)
		}
		if err != nil {
			return res, fmt.Errorf("run %s: start %s: %w", opts.Service, name, err)
		}
		return res, nil
	}
	if opts.Remove {
		// AutoRemove misses a container that never started or whose
		// start failed, and ctx may end first: remove it here too.
		defer func() {
			if rerr := e.removeOneOff(id); rerr != nil && err == nil {
				err = fmt.Errorf("run %s: %w", opts.Service, rerr)
			}
		}()
	}
	res.ExitCode, err = e.attachRun(ctx, id, name, sc, opts)
	if err != nil {
		return res, fmt.Errorf("run %s: %s: %w", opts.Service, name, err)
	}
	return res, nil
}

// runDependencies brings up what the service depends on, unless NoDeps,
// and waits for their depends_on conditions, as compose run does.
func (e *Engine) runDependencies(ctx context.Context, p *Project, sc types.ServiceConfig, opts RunOptions) error {
	if opts.NoDeps || len(sc.DependsOn) == 0 {
		return nil
	}
	deps := sortedKeys(sc.DependsOn)
	if err := e.Up(ctx, p, UpOptions{Services: deps, Progress: opts.Progress}); err != nil {
		return fmt.Errorf("start dependencies: %w", err)
	}
	model, err := p.model.project.WithSelectedServices([]string{sc.Name})
	if err != nil {
		return err
	}
	r, err := e.observeRun(ctx, p, model, LifecycleOptions{Progress: opts.Progress})
	if err != nil {
		return err
	}
	return r.waitDependencies(ctx, sc)
}

// createOneOff creates the one-off container with Compose's one-off
// labels and name, building or checking its image first.
func (e *Engine) createOneOff(ctx context.Context, p *Project, model *types.Project, sc types.ServiceConfig, opts RunOptions) (string, string, error) {
	img, err := e.api.ImageInspect(ctx, imageName(model.Name, sc))
	if cerrdefs.IsNotFound(err) && sc.Build != nil {
		if err = e.Build(ctx, p, BuildOptions{Services: []string{sc.Name}, Progress: opts.Progress}); err == nil {
			img, err = e.api.ImageInspect(ctx, imageName(model.Name, sc))
		}
	}
	if err != nil {
		return "", "", fmt.Errorf("image %s: %w", imageName(model.Name, sc), err)
	}
	if _, err := e.ensureNetworks(ctx, model, usedNetworks(model), opts.Progress); err != nil {
		return "", "", err
	}
	if err := e.ensureVolumes(ctx, model, usedVolumes(model), opts.Progress); err != nil {
		return "", "", err
	}
	slug, err := randomSlug()
	if err != nil {
		return "", "", err
	}
	name := sc.ContainerName
	if name == "" {
		name = fmt.Sprintf("%s-%s-run-%s", model.Name, sc.Name, slug[:12])
		sc.ContainerName = name
	}
	hash, err := confighash.Service(sc)
	if err != nil {
		return "", "", err
	}
	labels := containerLabels(model, sc, 0, hash, img.ID)
	delete(labels, labelNumber)
	labels[labelOneOff], labels[labelSlug] = "True", slug
	spec, err := buildCreateSpec(model, sc, createTarget{name: name, labels: labels, apiVersion: e.api.ClientVersion()})
	if err != nil {
		return "", "", err
	}
	oneOffSpec(&spec, opts)
	res, err := e.api.ContainerCreate(ctx, spec.opts)
	if err != nil {
		return "", "", fmt.Errorf("create %s: %w", name, err)
	}
	for _, j := range spec.joinLater {
		if _, err := e.api.NetworkConnect(ctx, j.network, client.NetworkConnectOptions{Container: res.ID, EndpointConfig: j.endpoint}); err != nil {
			_ = e.removeOneOff(res.ID)
			return "", "", fmt.Errorf("connect %s to network %s: %w", name, j.network, err)
		}
	}
	return res.ID, name, nil
}

// oneOffSpec sets what differs for a one-off container: attached stdin,
// removal by the engine with --rm, and no service alias on its networks
// (compose run's --use-aliases is off by default).
func oneOffSpec(spec *createSpec, opts RunOptions) {
	cfg := spec.opts.Config
	cfg.AttachStdin = opts.Interactive && !opts.Detach
	cfg.StdinOnce = cfg.AttachStdin
	spec.opts.HostConfig.AutoRemove = opts.Remove
	if spec.opts.NetworkingConfig != nil {
		for _, ep := range spec.opts.NetworkingConfig.EndpointsConfig {
			ep.Aliases = nil
		}
	}
	for _, j := range spec.joinLater {
		j.endpoint.Aliases = nil
	}
}

// removeOneOff force-removes a one-off container with its anonymous
// volumes, even once the caller's context has ended.
func (e *Engine) removeOneOff(id string) error {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	_, err := e.api.ContainerRemove(ctx, id, client.ContainerRemoveOptions{Force: true, RemoveVolumes: true})
	if err != nil && strings.Contains(err.Error(), "already in progress") {
		// The engine is removing it (AutoRemove): wait until it is gone,
		// so the caller never sees it left behind.
		w := e.api.ContainerWait(ctx, id, client.ContainerWaitOptions{Condition: container.WaitConditionRemoved})
		select {
		case <-w.Result:
			return nil
		case err = <-w.Error:
		}
	}
	if err != nil && !cerrdefs.IsNotFound(err) {
		return fmt.Errorf("remove one-off container %.12s: %w", id, err)
	}
	return nil
}

// randomSlug is a 64-hex-digit random ID, as Compose's stringid makes.
func randomSlug() (string, error) {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		return "", err
	}
	return hex.EncodeToString(b), nil
}
