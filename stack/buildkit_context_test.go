package stack

import (
	"context"
	"strings"
	"testing"
)

// TestBuildKitAdditionalContexts builds COPY --from a named context; the
// built-in frontend of BuildKit before v0.10 has no named contexts, and
// there the build must be refused up front, naming the key and the engine.
func TestBuildKitAdditionalContexts(t *testing.T) {
	e := buildTestEngine(t)
	ctx := context.Background()
	name := buildTestProjectName("addctx")
	p := writeBuildProject(t, name, "services:\n  app:\n    build:\n      context: app\n      additional_contexts:\n        shared: ./shared\n", map[string]string{
		"app/Dockerfile":  "FROM local/busybox\nCOPY --from=shared note.txt /note.txt\n",
		"shared/note.txt": "from the shared context\n",
	})
	var log progressLog
	removeBuiltAfter(t, e, name, &log, name+"-app")
	err := e.Build(ctx, p, BuildOptions{Progress: log.report})
	if info := e.buildKit(ctx); info.version == "" {
		for _, want := range []string{"build app:", "build.additional_contexts", "Engine " + info.engineVersion, "named contexts"} {
			if err == nil || !strings.Contains(err.Error(), want) {
				t.Errorf("error %v does not contain %q", err, want)
			}
		}
		return
	}
	if err != nil {
		t.Fatal(err)
	}
	if got, err := readImageFile(t, e, name, name+"-app", "/note.txt"); err != nil || got != "from the shared context\n" {
		t.Errorf("/note.txt: got %q, %v; want the shared context's file", got, err)
	}
}

// TestBuildKitContextFiles checks what reaches the build: .dockerignore
// leaves files out, a <Dockerfile>.dockerignore replaces it (as in
// BuildKit's frontend 1.4+, applied by devstack on older engines too), and
// dockerfile_inline builds.
func TestBuildKitContextFiles(t *testing.T) {
	e := buildTestEngine(t)
	ctx := context.Background()
	name := buildTestProjectName("ctxfiles")
	p := writeBuildProject(t, name, `
services:
  plain:
    build: .
  special:
    build:
      context: .
      dockerfile: special.Dockerfile
  inline:
    build:
      context: .
      dockerfile_inline: |
        FROM local/busybox
        COPY kept.txt /kept.txt
        RUN echo inline > /inline
`, map[string]string{
		"Dockerfile":                      "FROM local/busybox\nCOPY . /ctx/\n",
		"special.Dockerfile":              "FROM local/busybox\nCOPY . /ctx/\n",
		"special.Dockerfile.dockerignore": "kept.txt\n",
		".dockerignore":                   "secret.txt\n",
		"kept.txt":                        "kept\n",
		"secret.txt":                      "secret\n",
	})
	var log progressLog
	removeBuiltAfter(t, e, name, &log, name+"-plain", name+"-special", name+"-inline")
	if err := e.Build(ctx, p, BuildOptions{Progress: log.report}); err != nil {
		t.Fatal(err)
	}
	has := func(image, path string) bool {
		_, err := readImageFile(t, e, name, image, path)
		return err == nil
	}
	if !has(name+"-plain", "/ctx/kept.txt") || has(name+"-plain", "/ctx/secret.txt") {
		t.Errorf("plain: want kept.txt and not secret.txt (.dockerignore)")
	}
	if has(name+"-special", "/ctx/kept.txt") || !has(name+"-special", "/ctx/secret.txt") {
		t.Errorf("special: want secret.txt and not kept.txt (special.Dockerfile.dockerignore replaces .dockerignore)")
	}
	if got, err := readImageFile(t, e, name, name+"-inline", "/inline"); err != nil || got != "inline\n" {
		t.Errorf("inline: /inline got %q, %v", got, err)
	}
}

// TestClassicFallbackSaysSoOnce checks the notice of the classic builder:
// once per engine connection, not once per build.
func TestClassicFallbackSaysSoOnce(t *testing.T) {
	t.Setenv("DOCKER_BUILDKIT", "0")
	e := buildTestEngine(t)
	name := buildTestProjectName("classic")
	p := writeBuildProject(t, name, "services:\n  a:\n    build: .\n  b:\n    build: .\n", map[string]string{"Dockerfile": "FROM local/busybox\nRUN echo classic\n"})
	var log progressLog
	removeBuiltAfter(t, e, name, &log, name+"-a", name+"-b")
	for range 2 {
		if err := e.Build(context.Background(), p, BuildOptions{Progress: log.report}); err != nil {
			t.Fatal(err)
		}
	}
	notices := log.texts(ProgressWarning)
	if len(notices) != 1 || !strings.Contains(notices[0], "classic builder (deprecated): DOCKER_BUILDKIT=0") {
		t.Errorf("notices: got %q, want one saying the classic builder is used because DOCKER_BUILDKIT=0", notices)
	}
}
