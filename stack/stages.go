package stack

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/compose-spec/compose-go/v2/types"

	"github.com/devstack/devstack/stack/internal/dockerfile"
)

// Stages lists the FROM stages of a service's Dockerfile in order, with
// global ARGs substituted in the base images (build args from the compose
// file win over the ARG defaults, as in a build). Unnamed stages have an
// empty Name; refer to them by Index.
func Stages(p *Project, service string) ([]BuildStage, error) {
	sd, err := readStages(p, service)
	if err != nil {
		return nil, err
	}
	stages := sd.stages
	for i := range stages {
		needed := sd.deps.Reach(stages[i].Index)
		for j := range stages {
			if j != i && needed[stages[j].Index] {
				stages[i].Needs = append(stages[i].Needs, stageLabelValue(stages[j]))
			}
		}
	}
	return stages, nil
}

// serviceStages is a service's Dockerfile read for its stages: the stages,
// which earlier stages each uses directly, and the file's name for errors.
type serviceStages struct {
	stages []BuildStage
	deps   dockerfile.Deps
	file   string
}

// readStages reads and parses a service's Dockerfile once for Stages and
// StageNeeds.
func readStages(p *Project, service string) (serviceStages, error) {
	sc, err := buildableService(p, service)
	if err != nil {
		return serviceStages{}, fmt.Errorf("stages %s: %w", service, err)
	}
	src, err := readServiceDockerfile(p, sc)
	if err != nil {
		return serviceStages{}, fmt.Errorf("stages %s: %w", service, err)
	}
	df, err := dockerfile.Parse(src.content)
	if err != nil {
		return serviceStages{}, fmt.Errorf("stages %s: %s: %w", service, src.name, err)
	}
	stages := df.Stages(resolvedBuildArgs(p, sc))
	return serviceStages{stages: buildStages(stages), deps: df.Deps(stages), file: src.name}, nil
}

// ConfiguredTarget is the target stage the compose file sets for a
// service's build ("" when it builds the last stage or has no build).
func ConfiguredTarget(p *Project, service string) string {
	sc, err := buildableService(p, service)
	if err != nil {
		return ""
	}
	return sc.Build.Target
}

// buildStages are a Dockerfile's stages as stack reports them.
func buildStages(stages []dockerfile.Stage) []BuildStage {
	out := make([]BuildStage, len(stages))
	for i, s := range stages {
		out[i] = BuildStage{Index: s.Index, Name: s.Name, Base: s.Base, Line: s.Line}
	}
	return out
}

// buildableService returns the compose model of an active service that has
// a build section.
func buildableService(p *Project, service string) (types.ServiceConfig, error) {
	if p == nil || p.model == nil {
		return types.ServiceConfig{}, ErrNoProject
	}
	sc, ok := p.model.project.Services[service]
	if !ok {
		return sc, fmt.Errorf("%w %q in project %s", ErrUnknownService, service, p.Name)
	}
	if sc.Build == nil {
		return sc, fmt.Errorf("service %s has no build section (it runs image %s): add build: to its compose entry", service, imageName(p.Name, sc))
	}
	return sc, nil
}

// dockerfileSource is a service's Dockerfile: its text and the name to use
// in messages (a path relative to the project, or "dockerfile_inline").
type dockerfileSource struct {
	content []byte
	name    string
	// path is the file on disk; empty for dockerfile_inline.
	path string
}

func readServiceDockerfile(p *Project, sc types.ServiceConfig) (dockerfileSource, error) {
	b := sc.Build
	if b.DockerfileInline != "" {
		return dockerfileSource{content: []byte(b.DockerfileInline), name: "dockerfile_inline"}, nil
	}
	if isRemoteBuildContext(b.Context) {
		return dockerfileSource{}, fmt.Errorf("build context %s is remote: devstack reads Dockerfiles from local folders only", b.Context)
	}
	path := b.Dockerfile
	if path == "" {
		path = "Dockerfile"
	}
	if !filepath.IsAbs(path) {
		path = filepath.Join(b.Context, path)
	}
	content, err := os.ReadFile(path)
	if err != nil {
		return dockerfileSource{}, fmt.Errorf("read dockerfile: %w", err)
	}
	return dockerfileSource{content: content, name: buildDisplayPath(p.WorkingDir, path), path: path}, nil
}

// buildDisplayPath shortens path to be relative to the project folder when it
// lies inside it.
func buildDisplayPath(dir, path string) string {
	if rel, err := filepath.Rel(dir, path); err == nil && !strings.HasPrefix(rel, "..") {
		return rel
	}
	return path
}

func isRemoteBuildContext(ctx string) bool {
	return strings.Contains(ctx, "://") || strings.HasPrefix(ctx, "git@")
}

// resolvedBuildArgs are the service's build args with valueless entries
// taken from the project environment, as compose resolves them.
func resolvedBuildArgs(p *Project, sc types.ServiceConfig) map[string]*string {
	args := map[string]*string{}
	for k, v := range sc.Build.Args {
		args[k] = v
	}
	return types.MappingWithEquals(args).Resolve(func(k string) (string, bool) {
		v, ok := p.model.project.Environment[k]
		return v, ok
	})
}
