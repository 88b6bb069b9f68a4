package stack

import (
	"fmt"
	"strings"

	"github.com/compose-spec/compose-go/v2/types"

	"github.com/devstack/devstack/stack/internal/dockerfile"
)

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
func needsBuildKitError(dockerfileName string, uses []dockerfile.Use, info buildKitInfo) error {
	u := uses[0]
	more := ""
	if len(uses) > 1 {
		more = fmt.Sprintf(" (and %d more)", len(uses)-1)
	}
	return fmt.Errorf("%s:%d: %s%s: %w, and devstack is using the classic builder because %s: use an engine with BuildKit (18.09 or newer, Linux containers), or rewrite the Dockerfile for the classic builder",
		dockerfileName, u.Line, u.Feature, more, ErrNeedsBuildKit, info.reason)
}
