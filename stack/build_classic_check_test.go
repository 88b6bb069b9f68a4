package stack

import (
	"errors"
	"strings"
	"testing"

	"github.com/compose-spec/compose-go/v2/types"

	"github.com/devstack/devstack/stack/internal/dockerfile"
)

func TestNeedsBuildKitError(t *testing.T) {
	noBuildKit := buildKitInfo{reason: "DOCKER_BUILDKIT=0"}
	err := needsBuildKitError("app/Dockerfile", []dockerfile.Use{{Line: 4, Feature: "RUN --mount"}, {Line: 9, Feature: "COPY --link"}}, noBuildKit)
	if !errors.Is(err, ErrNeedsBuildKit) {
		t.Errorf("got %v, want it to wrap ErrNeedsBuildKit", err)
	}
	for _, want := range []string{"app/Dockerfile:4: RUN --mount (and 1 more)", "because DOCKER_BUILDKIT=0"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q does not contain %q", err, want)
		}
	}
	err = classicBuildSettings(&types.BuildConfig{Secrets: []types.ServiceSecretConfig{{Source: "s"}}, Privileged: true}, noBuildKit)
	if !errors.Is(err, ErrNeedsBuildKit) || !strings.Contains(err.Error(), "build.privileged, build.secrets") {
		t.Errorf("classic settings: got %v, want build.privileged, build.secrets wrapping ErrNeedsBuildKit", err)
	}
	if err := classicBuildSettings(&types.BuildConfig{Platforms: []string{"linux/amd64"}}, noBuildKit); err != nil {
		t.Errorf("one platform: got %v, want nil", err)
	}
}
