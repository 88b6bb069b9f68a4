package stack

import (
	"fmt"
	"strings"
)

// frontendFeature is Dockerfile syntax that the Dockerfile frontend built
// into older engines lacks.
type frontendFeature struct {
	// name is how a message names the feature.
	name string
	// since is the Dockerfile syntax that brought it.
	since string
}

// Features the built-in Dockerfile frontend of BuildKit before v0.10
// (Engine 20.10 and older: Dockerfile syntax 1.2/1.3) rejects, by the
// instruction flag that asks for them. Checked on Engine 20.10: heredocs
// fail with "unknown instruction", the flags below with "Unknown flag";
// COPY --chmod and RUN --mount work.
var oldFrontendFlags = map[string]frontendFeature{
	"RUN --network":                 {"RUN --network", "1.3"},
	"RUN --security":                {"RUN --security", "1.1-labs"},
	"COPY --link":                   {"COPY --link", "1.4"},
	"ADD --link":                    {"ADD --link", "1.4"},
	"COPY --parents":                {"COPY --parents", "1.7"},
	"COPY --exclude":                {"COPY --exclude", "1.7"},
	"ADD --exclude":                 {"ADD --exclude", "1.7"},
	"ADD --checksum":                {"ADD --checksum", "1.6"},
	"ADD --keep-git-dir":            {"ADD --keep-git-dir", "1.5"},
	"RUN --mount=type=ssh,required": {"RUN --mount required", "1.5"},
}

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
	df, err := parseDockerfile(req.dockerfile.content)
	if err != nil || df.Syntax != "" {
		return nil
	}
	for _, step := range df.Steps {
		if step.Cmd == "ONBUILD" {
			inner := dfSplit(step.Args, step.Line)
			inner.Heredocs = step.Heredocs
			step = *inner
		}
		if f, ok := unsupportedByOldFrontend(step); ok {
			return fmt.Errorf("%s:%d: %s: %w: %s's built-in Dockerfile frontend (syntax 1.2) does not have it (Dockerfile syntax %s, Engine 23 or newer): upgrade the engine or rewrite the instruction",
				req.dockerfile.name, step.Line, f.name, ErrFrontendTooOld, engine, f.since)
		}
	}
	return nil
}

func unsupportedByOldFrontend(step dfInstruction) (frontendFeature, bool) {
	if len(step.Heredocs) > 0 {
		return frontendFeature{fmt.Sprintf("%s heredoc <<%s", step.Cmd, step.Heredocs[0]), "1.4"}, true
	}
	for _, fl := range step.Flags {
		if f, ok := oldFrontendFlags[step.Cmd+" --"+fl.Name]; ok {
			return f, true
		}
		if fl.Name == "mount" && strings.Contains(fl.Value, "required") {
			return oldFrontendFlags["RUN --mount=type=ssh,required"], true
		}
	}
	return frontendFeature{}, false
}
