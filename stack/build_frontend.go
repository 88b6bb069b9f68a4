package stack

import (
	"fmt"

	"github.com/devstack/devstack/stack/internal/dockerfile"
)

// checkFrontendSupport refuses, before anything is sent, Dockerfile syntax
// and build: keys the engine's built-in Dockerfile frontend cannot build,
// naming the Dockerfile line and the engine version. It only judges
// engines whose BuildKit is older than v0.11 (they cannot report their
// version); a `# syntax=` directive selects another frontend, which
// decides for itself.
func checkFrontendSupport(req buildRequest, info buildKitInfo) error {
	if info.version != "" {
		return nil
	}
	engine := "Engine " + info.engineVersion
	if len(req.contexts) > 0 {
		return fmt.Errorf("build.additional_contexts: %s's built-in Dockerfile frontend (syntax 1.2) has no named contexts (they need Dockerfile syntax 1.4, Engine 23 or newer): upgrade the engine, or copy the files into the build context", engine)
	}
	if req.dockerfile.content == nil {
		return nil
	}
	df, err := dockerfile.Parse(req.dockerfile.content)
	if err != nil || df.Syntax != "" {
		return nil
	}
	if use, since, ok := df.OldFrontendRejects(); ok {
		return fmt.Errorf("%s:%d: %s: %w: %s's built-in Dockerfile frontend (syntax 1.2) does not have it (Dockerfile syntax %s, Engine 23 or newer): upgrade the engine or rewrite the instruction",
			req.dockerfile.name, use.Line, use.Feature, ErrFrontendTooOld, engine, since)
	}
	return nil
}
