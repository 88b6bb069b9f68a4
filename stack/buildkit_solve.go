package stack

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"github.com/docker/cli/cli/config"
	bkclient "github.com/moby/buildkit/client"
	"github.com/moby/buildkit/session"
	"github.com/moby/buildkit/session/auth/authprovider"
	"github.com/moby/buildkit/session/secrets/secretsprovider"
	"github.com/moby/buildkit/session/sshforward/sshprovider"
	"github.com/tonistiigi/fsutil"
	"golang.org/x/sync/errgroup"
)

// buildWithEngineBuildKit runs one build on the engine's own BuildKit with
// the Dockerfile frontend and loads the image into the engine's image
// store ("moby" exporter), as `docker buildx build` does with the default
// docker driver.
func (e *Engine) buildWithEngineBuildKit(ctx context.Context, req buildRequest, info buildKitInfo, progress ProgressFunc) error {
	if err := checkFrontendSupport(req, info); err != nil {
		return err
	}
	so, cleanup, err := solveOptions(req)
	if err != nil {
		return err
	}
	defer cleanup()
	c, err := e.dialBuildKit(ctx)
	if err != nil {
		return fmt.Errorf("connect to the engine's BuildKit: %w", err)
	}
	defer c.Close()
	tracker := newBuildTracker(req, progress)
	ch := make(chan *bkclient.SolveStatus)
	g, gctx := errgroup.WithContext(ctx)
	g.Go(func() error {
		_, err := c.Solve(gctx, nil, so, ch)
		return err
	})
	g.Go(func() error {
		for st := range ch {
			tracker.update(st)
		}
		return nil
	})
	err = g.Wait()
	tracker.finish()
	if err != nil {
		if ctxErr := ctx.Err(); ctxErr != nil {
			return fmt.Errorf("build stopped: %w", ctxErr)
		}
		return tracker.explain(err, req.dockerfile)
	}
	return nil
}

// solveOptions turns a build request into BuildKit's solve options for the
// Dockerfile frontend. cleanup removes the temporary folder of an inline
// Dockerfile.
func solveOptions(req buildRequest) (bkclient.SolveOpt, func(), error) {
	so := bkclient.SolveOpt{
		Frontend:      "dockerfile.v0",
		FrontendAttrs: frontendAttrs(req),
		LocalMounts:   map[string]fsutil.FS{},
		Exports: []bkclient.ExportEntry{{
			Type:  "moby",
			Attrs: map[string]string{"name": strings.Join(req.tags, ",")},
		}},
	}
	cleanup := func() {}
	if err := setContextMounts(&so, req, &cleanup); err != nil {
		cleanup()
		return so, func() {}, err
	}
	attach, err := sessionAttachables(req)
	if err != nil {
		cleanup()
		return so, func() {}, err
	}
	so.Session = attach
	// Entitlements by name: BuildKit's entitlements package would add
	// its dependencies to the binary for two constants.
	if req.network == "host" {
		so.AllowedEntitlements = append(so.AllowedEntitlements, "network.host")
	}
	if req.privileged {
		so.AllowedEntitlements = append(so.AllowedEntitlements, "security.insecure")
	}
	for _, ent := range req.settings.Entitlements {
		if !slices.Contains(so.AllowedEntitlements, ent) {
			so.AllowedEntitlements = append(so.AllowedEntitlements, ent)
		}
	}
	so.CacheImports, so.CacheExports = req.cacheFrom, req.cacheTo
	return so, cleanup, nil
}

// frontendAttrs are the Dockerfile frontend's options, named as buildx
// names them.
func frontendAttrs(req buildRequest) map[string]string {
	attrs := map[string]string{}
	if req.target != "" {
		attrs["target"] = req.target
	}
	for k, v := range req.args {
		if v != nil {
			attrs["build-arg:"+k] = *v
		}
	}
	for k, v := range req.labels {
		attrs["label:"+k] = v
	}
	if len(req.extraHosts) > 0 {
		hosts := make([]string, len(req.extraHosts))
		for i, h := range req.extraHosts {
			// compose-go writes host:ip; the frontend reads host=ip.
			name, ip, _ := strings.Cut(h, ":")
			hosts[i] = name + "=" + ip
		}
		attrs["add-hosts"] = strings.Join(hosts, ",")
	}
	if req.network != "" && req.network != "default" {
		attrs["force-network-mode"] = req.network
	}
	if req.shmSize > 0 {
		attrs["shm-size"] = strconv.FormatInt(req.shmSize, 10)
	}
	if len(req.ulimits) > 0 {
		attrs["ulimit"] = strings.Join(req.ulimits, ",")
	}
	if req.noCache {
		attrs["no-cache"] = ""
	} else if len(req.noCacheFilter) > 0 {
		attrs["no-cache"] = strings.Join(req.noCacheFilter, ",")
	}
	if req.pull {
		attrs["image-resolve-mode"] = "pull"
	}
	if req.platform != "" {
		attrs["platform"] = req.platform
	}
	return attrs
}

// setContextMounts shares the context, the Dockerfile's folder and the
// additional contexts with BuildKit through the session (filesync), or
// passes a git URL context for BuildKit to fetch itself.
func setContextMounts(so *bkclient.SolveOpt, req buildRequest, cleanup *func()) error {
	dfDir, dfName := "", ""
	switch {
	case req.dockerfile.path != "":
		dfDir, dfName = filepath.Dir(req.dockerfile.path), filepath.Base(req.dockerfile.path)
	case req.dockerfile.content != nil:
		dir, err := os.MkdirTemp("", "devstack-dockerfile-")
		if err != nil {
			return fmt.Errorf("write dockerfile_inline: %w", err)
		}
		*cleanup = func() { os.RemoveAll(dir) }
		if err := os.WriteFile(filepath.Join(dir, "Dockerfile"), req.dockerfile.content, 0o644); err != nil {
			return fmt.Errorf("write dockerfile_inline: %w", err)
		}
		dfDir, dfName = dir, "Dockerfile"
	}
	if isRemoteBuildContext(req.contextDir) {
		so.FrontendAttrs["context"] = req.contextDir
		so.FrontendAttrs["filename"] = req.remoteDockerfile
		if dfDir != "" {
			so.FrontendAttrs["dockerfilekey"] = "dockerfile"
		}
	} else {
		ctxFS, err := contextFS(req.contextDir, req.dockerfile.path)
		if err != nil {
			return err
		}
		so.LocalMounts["context"] = ctxFS
	}
	if dfDir != "" {
		fs, err := fsutil.NewFS(dfDir)
		if err != nil {
			return fmt.Errorf("read dockerfile folder: %w", err)
		}
		so.LocalMounts["dockerfile"] = fs
		so.FrontendAttrs["filename"] = dfName
	}
	for _, name := range sortedKeys(req.contexts) {
		if err := setNamedContext(so, name, req.contexts[name]); err != nil {
			return err
		}
	}
	return nil
}

// setNamedContext adds one additional_contexts entry: a local folder shared
// through the session, or a reference the frontend resolves itself
// (docker-image://, a git or https URL, target:stage).
func setNamedContext(so *bkclient.SolveOpt, name, value string) error {
	if strings.Contains(value, "://") || strings.HasPrefix(value, "target:") || strings.HasPrefix(value, "git@") {
		so.FrontendAttrs["context:"+name] = value
		return nil
	}
	fs, err := fsutil.NewFS(value)
	if err != nil {
		return fmt.Errorf("additional_contexts %s: %w", name, err)
	}
	so.LocalMounts[name] = fs
	so.FrontendAttrs["context:"+name] = "local:" + name
	return nil
}

// sessionAttachables serve what the build asks the client for: registry
// credentials (as the docker CLI finds them), secrets and SSH agents.
func sessionAttachables(req buildRequest) ([]session.Attachable, error) {
	cfg := config.LoadDefaultConfigFile(io.Discard)
	attach := []session.Attachable{authprovider.NewDockerAuthProvider(authprovider.DockerAuthProviderConfig{
		AuthConfigProvider: authprovider.LoadAuthConfig(cfg),
	})}
	if len(req.secrets) > 0 {
		store, err := secretsprovider.NewStore(req.secrets)
		if err != nil {
			return nil, fmt.Errorf("build secrets: %w", err)
		}
		attach = append(attach, secretsprovider.NewSecretProvider(store))
	}
	if len(req.ssh) > 0 {
		sp, err := sshprovider.NewSSHAgentProvider(req.ssh)
		if err != nil {
			return nil, fmt.Errorf("build.ssh: %w", err)
		}
		attach = append(attach, sp)
	}
	return attach, nil
}
