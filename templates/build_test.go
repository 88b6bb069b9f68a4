package templates

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/devstack/devstack/stack"
)

// goFixture is a Go toolchain image for the go-mariadb builder stage: the
// busybox fixture plus this machine's Go (sources without tests). It is a
// cached fixture like those of scripts/fixtures.sh, labelled the same way.
const goFixture = "local/golang-tpl:test"

// testOverrides stand the registry images in with fixture images, as a
// compose override file: the templates take their bases from build args.
var testOverrides = map[string]string{
	"php-mariadb": `services:
  app:
    build:
      args: {BASE_IMAGE: local/busybox, PHP_EXTENSIONS: ""}
  db:
    image: local/mariadb:test
`,
	"go-mariadb": `services:
  app:
    build:
      args: {GO_IMAGE: ` + goFixture + `, RUNTIME_IMAGE: local/busybox, DEBUG_PACKAGES: ""}
  db:
    image: local/mariadb:test
`,
	"node-redis": `services:
  app:
    build:
      args: {BASE_IMAGE: local/busybox}
  cache:
    image: local/busybox
`,
}

// TestBuiltinImagesBuild builds every stage of every built-in's Dockerfile
// on the real engine with stack's build verb, the fixture bases coming from
// the compose override file. Each template builds under its own project
// name; the images are removed when the test ends.
func TestBuiltinImagesBuild(t *testing.T) {
	requireImages(t, "local/busybox", "local/mariadb:test")
	ensureGoFixture(t)
	ctx := context.Background()
	e, err := stack.Connect(ctx, stack.ConnectOptions{})
	if err != nil {
		t.Fatalf("connect: %v", err)
	}
	t.Cleanup(func() { e.Close() })
	run := randomSuffix(t)
	for name, override := range testOverrides {
		t.Run(name, func(t *testing.T) {
			dir := filepath.Join(t.TempDir(), name)
			initBuiltin(t, name, dir, nil)
			writeFiles(t, dir, map[string]string{"compose.test.yaml": override})
			project := "dstest-tpl-" + run + "-" + name
			p, err := stack.Load(ctx, stack.LoadOptions{
				WorkingDir:  dir,
				ProjectName: project,
				Files:       []string{filepath.Join(dir, "compose.yaml"), filepath.Join(dir, "compose.test.yaml")},
			})
			if err != nil {
				t.Fatalf("load with the override: %v", err)
			}
			app, _ := p.Service("app")
			if app.Build == nil || len(app.Build.Args) == 0 {
				t.Fatalf("app build: got %+v, want the override's args", app.Build)
			}
			t.Cleanup(func() { removeProjectImages(t, e, project, app.Image) })
			stages, err := stack.Stages(p, "app")
			if err != nil {
				t.Fatal(err)
			}
			var names []string
			for _, st := range stages {
				names = append(names, st.Name)
			}
			if !contains(names, app.Build.Target) || len(names) < 3 {
				t.Fatalf("compose builds target %q; the Dockerfile has %v", app.Build.Target, names)
			}
			for _, stage := range names {
				if err := e.Build(ctx, p, stack.BuildOptions{Services: []string{"app"}, Target: stage}); err != nil {
					t.Fatalf("build --target %s: %v", stage, err)
				}
				info, err := e.ImageInfo(ctx, app.Image)
				if err != nil || info.Size == 0 {
					t.Fatalf("after building %s: %+v, %v", stage, info, err)
				}
			}
		})
	}
}

// removeProjectImages removes the service image and the project's dangling
// images (earlier stages), with their untagged parents.
func removeProjectImages(t *testing.T, e *stack.Engine, project, image string) {
	if out, err := exec.Command("docker", "image", "rm", image).CombinedOutput(); err != nil {
		t.Logf("remove %s: %v %s", image, err, out)
	}
	if _, _, err := e.PruneImages(context.Background(), project, stack.PruneOptions{}); err != nil {
		t.Logf("prune %s: %v", project, err)
	}
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func randomSuffix(t *testing.T) string {
	b := make([]byte, 4)
	if _, err := rand.Read(b); err != nil {
		t.Fatal(err)
	}
	return hex.EncodeToString(b)
}

// requireImages fails, naming the command that builds them, when fixture
// images are missing.
func requireImages(t *testing.T, images ...string) {
	t.Helper()
	if out, err := exec.Command("docker", "info", "--format", "{{.ServerVersion}}").CombinedOutput(); err != nil {
		t.Fatalf("no Docker engine: %v\n%s", err, out)
	}
	for _, img := range images {
		if err := exec.Command("docker", "image", "inspect", img).Run(); err != nil {
			t.Fatalf("fixture image %s is missing: run bash scripts/fixtures.sh", img)
		}
	}
}

// ensureGoFixture builds goFixture once per machine: local/busybox plus
// GOROOT's go command, compiler, linker, assembler and library sources.
func ensureGoFixture(t *testing.T) {
	t.Helper()
	out, err := exec.Command("docker", "image", "inspect", "-f", `{{index .Config.Labels "devstack.fixture"}}`, goFixture).Output()
	if err == nil && strings.TrimSpace(string(out)) == "true" {
		return
	}
	out, err = exec.Command("go", "env", "GOROOT").Output()
	if err != nil {
		t.Fatalf("go env GOROOT: %v", err)
	}
	goroot := strings.TrimSpace(string(out))
	ctxDir := t.TempDir()
	tarArgs := []string{"-C", filepath.Dir(goroot), "-cf", filepath.Join(ctxDir, "go.tar"),
		"--exclude=testdata", "--exclude=*_test.go", "--transform", "s,^" + filepath.Base(goroot) + ",go,"}
	for _, p := range []string{"bin/go", "pkg/tool/linux_amd64/compile", "pkg/tool/linux_amd64/link",
		"pkg/tool/linux_amd64/asm", "pkg/include", "src", "go.env", "VERSION"} {
		tarArgs = append(tarArgs, filepath.Join(filepath.Base(goroot), p))
	}
	if out, err := exec.Command("tar", tarArgs...).CombinedOutput(); err != nil {
		t.Fatalf("tar GOROOT: %v\n%s", err, out)
	}
	dockerfile := `FROM local/busybox
ADD go.tar /usr/local/
ENV PATH=/usr/local/go/bin:/bin:/usr/bin GOROOT=/usr/local/go GOTOOLCHAIN=local CGO_ENABLED=0 \
    HOME=/tmp GOPATH=/tmp/go GOCACHE=/tmp/go-cache GOFLAGS=-mod=mod GOPROXY=off
# Compile the library once, with the flags of the template's build, so
# each test build compiles only the service.
RUN go build -trimpath net/http
LABEL devstack.fixture=true
`
	writeFiles(t, ctxDir, map[string]string{"Dockerfile": dockerfile})
	cmd := exec.Command("docker", "build", "-q", "--force-rm", "-t", goFixture, ctxDir)
	cmd.Env = append(os.Environ(), "DOCKER_BUILDKIT=0")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("build the Go fixture %s: %v\n%s", goFixture, err, out)
	}
	t.Logf("built the cached fixture %s", goFixture)
}
