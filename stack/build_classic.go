package stack

import (
	"context"
	"fmt"

	buildtypes "github.com/moby/moby/api/types/build"
	"github.com/moby/moby/client"

	"github.com/devstack/devstack/stack/internal/dockerfile"
)

// buildClassic sends the context to the engine's /build endpoint with the
// classic builder, which every engine has.
func (e *Engine) buildClassic(ctx context.Context, req buildRequest, info buildKitInfo, progress ProgressFunc) error {
	if isRemoteBuildContext(req.contextDir) {
		return fmt.Errorf("build context %s is remote: the classic builder builds from local folders only (%s)", req.contextDir, info.reason)
	}
	if err := classicBuildSettings(req.settings, info); err != nil {
		return err
	}
	df, err := dockerfile.Parse(req.dockerfile.content)
	if err != nil {
		return fmt.Errorf("%s: %w", req.dockerfile.name, err)
	}
	if uses := df.BuildKitOnly(); len(uses) > 0 {
		return needsBuildKitError(req.dockerfile.name, uses, info)
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
