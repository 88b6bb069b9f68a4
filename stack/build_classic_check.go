package stack

import (
	"fmt"
	"strings"

	"github.com/compose-spec/compose-go/v2/types"
)

// buildKitUse is one place where a Dockerfile needs BuildKit.
type buildKitUse struct {
	Line    int
	Feature string
}

// classicFlags are the instruction flags the classic builder understands;
// any other flag on these instructions is BuildKit syntax. (The classic
// builder rejects --chmod with "requires BuildKit" on every engine version,
// and fails on --link, --mount, --network, --security, --parents, --exclude,
// --checksum and --keep-git-dir.)
var classicFlags = map[string]map[string]bool{
	"FROM": {"platform": true},
	"RUN":  {},
	"COPY": {"from": true, "chown": true},
	"ADD":  {"chown": true},
}

// buildKitFeatures lists the uses of BuildKit-only syntax in a Dockerfile,
// in line order.
func buildKitFeatures(df *dockerfile) []buildKitUse {
	var uses []buildKitUse
	for _, step := range df.Steps {
		if step.Cmd == "ONBUILD" {
			inner := dfSplit(step.Args, step.Line)
			inner.Heredocs = step.Heredocs
			step = *inner
		}
		allowed, checked := classicFlags[step.Cmd]
		if !checked {
			continue
		}
		for _, f := range step.Flags {
			if !allowed[f.Name] {
				uses = append(uses, buildKitUse{Line: step.Line, Feature: fmt.Sprintf("%s --%s", step.Cmd, f.Name)})
			}
		}
		if len(step.Heredocs) > 0 {
			uses = append(uses, buildKitUse{Line: step.Line, Feature: fmt.Sprintf("%s heredoc <<%s", step.Cmd, step.Heredocs[0])})
		}
	}
	return uses
}

// classicBuildSettings rejects build: keys only BuildKit implements, the
// way compose's classic builder does.
func classicBuildSettings(b *types.BuildConfig, info buildKitInfo) error {
	var keys []string
	if len(b.Platforms) > 1 {
		keys = append(keys, "platforms (more than one)")
	}
	if b.Privileged {
		keys = append(keys, "privileged")
	}
	if len(b.AdditionalContexts) > 0 {
		keys = append(keys, "additional_contexts")
	}
	if len(b.SSH) > 0 {
		keys = append(keys, "ssh")
	}
	if len(b.Secrets) > 0 {
		keys = append(keys, "secrets")
	}
	if len(keys) == 0 {
		return nil
	}
	return fmt.Errorf("build.%s: %w, and devstack is using the classic builder because %s",
		strings.Join(keys, ", build."), ErrNeedsBuildKit, info.reason)
}

// needsBuildKitError names the first BuildKit-only use and how to fix it.
func needsBuildKitError(dockerfileName string, uses []buildKitUse, info buildKitInfo) error {
	u := uses[0]
	more := ""
	if len(uses) > 1 {
		more = fmt.Sprintf(" (and %d more)", len(uses)-1)
	}
	return fmt.Errorf("%s:%d: %s%s: %w, and devstack is using the classic builder because %s: use an engine with BuildKit (18.09 or newer, Linux containers), or rewrite the Dockerfile for the classic builder",
		dockerfileName, u.Line, u.Feature, more, ErrNeedsBuildKit, info.reason)
}
