package stack

import (
	"fmt"
	"strings"

	"github.com/compose-spec/compose-go/v2/types"
	bkclient "github.com/moby/buildkit/client"
	"github.com/moby/buildkit/session/secrets/secretsprovider"
	"github.com/moby/buildkit/session/sshforward/sshprovider"
)

// stageLabel is the image label devstack writes at build time with the
// Dockerfile stage the image was built from, so ps and the dashboard can
// show the stage a container really runs, whatever the compose file says.
const stageLabel = "devstack.build.stage"

// setBuildKitOptions reads the build: keys only BuildKit honours: secrets,
// ssh, platforms and cache sources.
func (req *buildRequest) setBuildKitOptions(p *Project, sc types.ServiceConfig) error {
	b := sc.Build
	for _, s := range b.Secrets {
		src, err := buildSecret(p, s)
		if err != nil {
			return err
		}
		req.secrets = append(req.secrets, src)
	}
	for _, k := range b.SSH {
		conf := sshprovider.AgentConfig{ID: k.ID}
		if k.Path != "" {
			conf.Paths = []string{k.Path}
		}
		req.ssh = append(req.ssh, conf)
	}
	switch {
	case len(b.Platforms) > 1:
		return fmt.Errorf("build.platforms lists %d platforms: an image loaded into the engine has one; keep one (or set platform:) and build the others with `docker buildx build --platform`", len(b.Platforms))
	case sc.Platform != "":
		req.platform = sc.Platform
	case len(b.Platforms) == 1:
		req.platform = b.Platforms[0]
	}
	for _, c := range b.CacheFrom {
		req.cacheFrom = append(req.cacheFrom, parseCacheEntry(c))
	}
	for _, c := range b.CacheTo {
		entry := parseCacheEntry(c)
		if entry.Type != "inline" {
			return fmt.Errorf("build.cache_to %q: the engine's built-in BuildKit exports only inline cache (type=inline), as with buildx's docker driver; select another builder with `docker buildx use` for %s caches", c, entry.Type)
		}
		req.cacheTo = append(req.cacheTo, entry)
	}
	return nil
}

// buildSecret maps a service's build secret to its source: the file or
// environment variable of the top-level secret. Its ID in the Dockerfile
// (RUN --mount=type=secret,id=…) is the target when set, else the name.
func buildSecret(p *Project, s types.ServiceSecretConfig) (secretsprovider.Source, error) {
	top, ok := p.model.project.Secrets[s.Source]
	if !ok {
		return secretsprovider.Source{}, fmt.Errorf("build.secrets: secret %q is not defined under the top-level secrets:", s.Source)
	}
	id := s.Source
	if s.Target != "" {
		id = s.Target
	}
	switch {
	case top.File != "":
		return secretsprovider.Source{ID: id, FilePath: top.File}, nil
	case top.Environment != "":
		return secretsprovider.Source{ID: id, Env: top.Environment}, nil
	}
	return secretsprovider.Source{}, fmt.Errorf("build.secrets: secret %q must come from a file or an environment variable to be used in a build", s.Source)
}

// parseCacheEntry reads a cache_from/cache_to value the way buildx does:
// "type=registry,ref=x,mode=max" or a bare image reference.
func parseCacheEntry(s string) bkclient.CacheOptionsEntry {
	if !strings.Contains(s, "=") {
		return bkclient.CacheOptionsEntry{Type: "registry", Attrs: map[string]string{"ref": s}}
	}
	e := bkclient.CacheOptionsEntry{Attrs: map[string]string{}}
	for _, field := range strings.Split(s, ",") {
		k, v, _ := strings.Cut(field, "=")
		if k == "type" {
			e.Type = v
			continue
		}
		e.Attrs[k] = v
	}
	if e.Type == "" {
		e.Type = "registry"
	}
	return e
}

// targetStage finds the stage a build ends at: the named (or numbered)
// target, or the last stage. An unknown target is an error listing the
// stages there are.
func targetStage(stages []BuildStage, target, dockerfileName string) (BuildStage, error) {
	if len(stages) == 0 {
		return BuildStage{}, fmt.Errorf("%s: no FROM instruction: it has no stage to build", dockerfileName)
	}
	if target == "" {
		return stages[len(stages)-1], nil
	}
	for _, s := range stages {
		if s.Name == strings.ToLower(target) {
			return s, nil
		}
	}
	names := make([]string, len(stages))
	for i, s := range stages {
		names[i] = stageLabelValue(s)
	}
	return BuildStage{}, fmt.Errorf("target stage %q not found in %s: its stages are %s", target, dockerfileName, strings.Join(names, ", "))
}

// stageLabelValue names a stage: its name, or #index for an unnamed one.
func stageLabelValue(s BuildStage) string {
	if s.Name != "" {
		return s.Name
	}
	return fmt.Sprintf("#%d", s.Index)
}
