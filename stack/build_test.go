package stack

import (
	"archive/tar"
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"io"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/moby/moby/api/types/container"
	"github.com/moby/moby/client"
)

// buildTestEngine connects to the local engine and checks the fixture image
// the builds start from; a missing fixture fails with the command that
// makes it.
func buildTestEngine(t *testing.T) *Engine {
	t.Helper()
	ctx := context.Background()
	e, err := Connect(ctx, ConnectOptions{})
	if err != nil {
		t.Fatalf("connect: %v", err)
	}
	t.Cleanup(func() { e.Close() })
	if _, err := e.ImageInfo(ctx, "local/busybox"); err != nil {
		t.Fatalf("fixture image local/busybox is missing (build it with `bash scripts/fixtures.sh`): %v", err)
	}
	return e
}

// buildTestProjectName is a project name no other test or engineer uses.
func buildTestProjectName(short string) string {
	b := make([]byte, 4)
	rand.Read(b)
	return "dstest-" + short + "-" + hex.EncodeToString(b)
}

// removeBuiltAfter removes, when the test ends, exactly the images the
// test's builds made: the tagged ones, the project's dangling ones and the
// stage images the build output names, each with the untagged ancestors
// created since the test started. Removal is never forced, so an image
// that anything else uses or tags stays.
func removeBuiltAfter(t *testing.T, e *Engine, project string, log *progressLog, refs ...string) {
	start := time.Now().Add(-time.Second).Unix()
	t.Cleanup(func() {
		ctx := context.Background()
		var leaves []string
		for _, ref := range refs {
			if info, err := e.ImageInfo(ctx, ref); err == nil {
				e.api.ImageRemove(ctx, ref, client.ImageRemoveOptions{})
				leaves = append(leaves, info.ID)
			}
		}
		if log != nil {
			for _, line := range log.texts(ProgressOutput) {
				if id, ok := strings.CutPrefix(line, "image "); ok {
					leaves = append(leaves, id)
				}
			}
		}
		dangling, err := e.api.ImageList(ctx, client.ImageListOptions{Filters: make(client.Filters).
			Add("dangling", "true").Add("label", "com.docker.compose.project="+project)})
		if err == nil {
			for _, im := range dangling.Items {
				leaves = append(leaves, im.ID)
			}
		}
		removeImageChains(ctx, e, start, leaves)
	})
}

// removeImageChains removes each image and then its parents, stopping at
// the first one that is older than since or that the engine will not
// remove unforced (tagged, used, or parent of something else).
func removeImageChains(ctx context.Context, e *Engine, since int64, leaves []string) {
	all, err := e.api.ImageList(ctx, client.ImageListOptions{All: true})
	if err != nil {
		return
	}
	parent, created := map[string]string{}, map[string]int64{}
	for _, im := range all.Items {
		parent[im.ID], created[im.ID] = im.ParentID, im.Created
	}
	for _, id := range leaves {
		for id != "" && created[id] >= since {
			if _, err := e.api.ImageRemove(ctx, id, client.ImageRemoveOptions{}); err != nil {
				break
			}
			id = parent[id]
		}
	}
}

// readImageFile reads one file of an image by creating (not starting) a
// container from it, as a user's `docker cp` would.
func readImageFile(t *testing.T, e *Engine, project, image, path string) (string, error) {
	t.Helper()
	ctx := context.Background()
	c, err := e.api.ContainerCreate(ctx, client.ContainerCreateOptions{
		Image:  image,
		Config: &container.Config{Labels: map[string]string{"com.docker.compose.project": project}},
	})
	if err != nil {
		t.Fatalf("create container from %s: %v", image, err)
	}
	defer e.api.ContainerRemove(ctx, c.ID, client.ContainerRemoveOptions{Force: true})
	res, err := e.api.CopyFromContainer(ctx, c.ID, client.CopyFromContainerOptions{SourcePath: path})
	if err != nil {
		return "", err
	}
	defer res.Content.Close()
	tr := tar.NewReader(res.Content)
	if _, err := tr.Next(); err != nil {
		t.Fatalf("read %s of %s: %v", path, image, err)
	}
	b, err := io.ReadAll(tr)
	if err != nil {
		t.Fatalf("read %s of %s: %v", path, image, err)
	}
	return string(b), nil
}

// progressLog collects progress reports from the build's goroutine.
type progressLog struct {
	mu    sync.Mutex
	items []Progress
	times []time.Time
}

func (l *progressLog) report(p Progress) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.items = append(l.items, p)
	l.times = append(l.times, time.Now())
}

func (l *progressLog) texts(kind ProgressKind) []string {
	l.mu.Lock()
	defer l.mu.Unlock()
	var out []string
	for _, p := range l.items {
		if p.Kind == kind {
			out = append(out, p.Text)
		}
	}
	return out
}

func TestBuildTargetStages(t *testing.T) {
	e := buildTestEngine(t)
	ctx := context.Background()
	name := buildTestProjectName("build")
	p, err := Load(ctx, LoadOptions{Files: []string{filepath.Join("testdata", "build-target", "compose.yaml")}, ProjectName: name})
	if err != nil {
		t.Fatal(err)
	}
	tag := name + "-api"
	var log progressLog
	removeBuiltAfter(t, e, name, &log, tag)

	if err := e.Build(ctx, p, BuildOptions{Progress: log.report}); err != nil {
		t.Fatalf("build with the configured target: %v", err)
	}
	debug := inspectBuilt(t, e, name, tag)
	if !strings.Contains(strings.Join(debug.Config.Cmd, " "), "sleep") {
		t.Errorf("debug image CMD: got %q, want the debug stage's sleep", debug.Config.Cmd)
	}
	checkBuildProgress(t, &log, tag)
	if got, err := readImageFile(t, e, name, tag, "/base"); err != nil || got != "base\n" {
		t.Errorf("debug image /base: got %q, %v; want the base stage's file", got, err)
	}

	if err := e.Build(ctx, p, BuildOptions{Services: []string{"api"}, Target: "prod"}); err != nil {
		t.Fatalf("build --target prod: %v", err)
	}
	prod := inspectBuilt(t, e, name, tag)
	if want := []string{"cat", "/artifact"}; !slices.Equal(prod.Config.Cmd, want) {
		t.Errorf("prod image CMD: got %q, want %q", prod.Config.Cmd, want)
	}
	if got, err := readImageFile(t, e, name, tag, "/artifact"); err != nil || got != "built\n" {
		t.Errorf("prod image /artifact: got %q, %v; want %q", got, err, "built\n")
	}
	// prod starts from busybox, not from base: no /base.
	if _, err := readImageFile(t, e, name, tag, "/base"); err == nil {
		t.Errorf("prod image has /base: it was built from the wrong stage")
	}
	if prod.ID == debug.ID {
		t.Errorf("both builds produced image %s", prod.ID)
	}
}

// inspectBuilt checks the labels Build puts on an image and returns its
// inspection.
func inspectBuilt(t *testing.T, e *Engine, project, tag string) client.ImageInspectResult {
	t.Helper()
	res, err := e.api.ImageInspect(context.Background(), tag)
	if err != nil {
		t.Fatalf("inspect %s: %v", tag, err)
	}
	labels := res.Config.Labels
	if labels["com.docker.compose.project"] != project || labels["com.docker.compose.service"] != "api" {
		t.Errorf("%s labels: got %v, want project %s and service api", tag, labels, project)
	}
	return res
}

// checkBuildProgress checks the reports of a build of the api service.
func checkBuildProgress(t *testing.T, log *progressLog, tag string) {
	t.Helper()
	out := log.texts(ProgressOutput)
	steps := 0
	for _, line := range out {
		if _, _, ok := ParseBuildStep(line); ok {
			steps++
		}
	}
	// base (2 steps), builder (2) and debug (3) up to the target, then
	// the classic builder's two LABEL steps for the project labels.
	if steps != 9 {
		t.Errorf("build output: got %d step lines, want 9:\n%s", steps, strings.Join(out, "\n"))
	}
	built := log.texts(ProgressBuilt)
	if len(built) != 1 || !strings.Contains(built[0], "MB") && !strings.Contains(built[0], "kB") {
		t.Errorf("built reports: got %q, want one with duration and size", built)
	}
	log.mu.Lock()
	defer log.mu.Unlock()
	if first := log.items[0]; first.Kind != ProgressBuilding || first.Subject != tag {
		t.Errorf("first report: got %+v, want building %s", first, tag)
	}
	if last := log.items[len(log.items)-1]; last.Kind != ProgressBuilt || last.Subject != tag {
		t.Errorf("last report: got %+v, want built %s", last, tag)
	}
}

func TestBuildStreamsOutput(t *testing.T) {
	e := buildTestEngine(t)
	ctx := context.Background()
	name := buildTestProjectName("stream")
	p := writeBuildProject(t, name, `
services:
  slow:
    build:
      context: .
`, map[string]string{"Dockerfile": "FROM local/busybox\nRUN sleep 2\nRUN echo done\n"})
	var log progressLog
	removeBuiltAfter(t, e, name, &log, name+"-slow")

	if err := e.Build(ctx, p, BuildOptions{NoCache: true, Progress: log.report}); err != nil {
		t.Fatal(err)
	}
	returned := time.Now()
	log.mu.Lock()
	defer log.mu.Unlock()
	for i, it := range log.items {
		if _, _, ok := ParseBuildStep(it.Text); ok && strings.HasSuffix(it.Text, "RUN sleep 2") {
			// Step 2 runs for two seconds after its line is reported: a
			// builder whose output were buffered until the end would
			// deliver the line just before returning.
			if lead := returned.Sub(log.times[i]); lead < 1500*time.Millisecond {
				t.Errorf("step RUN sleep 2 reported %v before Build returned, want at least 1.5s", lead)
			}
			return
		}
	}
	t.Errorf("no step line for RUN sleep 2 in %+v", log.items)
}

func TestBuildErrorNamesService(t *testing.T) {
	e := buildTestEngine(t)
	ctx := context.Background()
	name := buildTestProjectName("fail")
	p := writeBuildProject(t, name, `
services:
  broken:
    build: .
`, map[string]string{"Dockerfile": "FROM local/busybox\nRUN echo about to fail && exit 3\n"})
	var log progressLog
	removeBuiltAfter(t, e, name, &log, name+"-broken")

	err := e.Build(ctx, p, BuildOptions{Progress: log.report})
	if err == nil {
		t.Fatal("build of a failing RUN: got no error")
	}
	for _, want := range []string{"build broken:", "returned a non-zero code: 3"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q does not contain %q", err, want)
		}
	}
	if _, err := e.ImageInfo(ctx, name+"-broken"); err == nil {
		t.Errorf("a failed build left image %s-broken", name)
	}
}

func TestBuildNeedsBuildKit(t *testing.T) {
	if buildxAvailable() {
		t.Fatal("this test checks the classic builder's refusal: run it with DOCKER_BUILDKIT=0 or without the buildx plugin")
	}
	e := buildTestEngine(t)
	ctx := context.Background()
	name := buildTestProjectName("bkit")
	p := writeBuildProject(t, name, `
services:
  cached:
    build:
      context: .
      dockerfile: docker/Dockerfile
`, map[string]string{"docker/Dockerfile": "# syntax=docker/dockerfile:1\nFROM local/busybox\nRUN --mount=type=cache,target=/root/.cache \\\n    echo hi\n"})
	var log progressLog
	removeBuiltAfter(t, e, name, &log, name+"-cached")

	err := e.Build(ctx, p, BuildOptions{Progress: log.report})
	if !errors.Is(err, ErrNeedsBuildKit) {
		t.Fatalf("got %v, want ErrNeedsBuildKit", err)
	}
	for _, want := range []string{"build cached:", "docker/Dockerfile:3", "RUN --mount", "buildx"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q does not contain %q", err, want)
		}
	}
	if out := log.texts(ProgressOutput); len(out) != 0 {
		t.Errorf("the engine was asked to build: output %q", out)
	}
}

func TestBuildRejectsTargetForManyServices(t *testing.T) {
	p := writeBuildProject(t, "dstest-targets", `
services:
  a:
    build: .
  b:
    build: .
`, map[string]string{"Dockerfile": "FROM local/busybox\n"})
	err := (&Engine{}).Build(context.Background(), p, BuildOptions{Target: "dev"})
	if err == nil || !strings.Contains(err.Error(), "one service") {
		t.Errorf("got %v, want an error saying a target applies to one service", err)
	}
	err = (&Engine{}).Build(context.Background(), p, BuildOptions{Services: []string{"c"}})
	if !errors.Is(err, ErrUnknownService) {
		t.Errorf("got %v, want ErrUnknownService", err)
	}
}

func TestNewBuildRequest(t *testing.T) {
	t.Setenv("DSTEST_FROM_ENV", "env-value")
	p := writeBuildProject(t, "dstest-request", `
services:
  api:
    image: registry.invalid/team/api:dev
    build:
      context: ./api
      dockerfile: ../docker/api.Dockerfile
      target: debug
      args:
        PLAIN: one
        DSTEST_FROM_ENV:
        UNSET_ARG:
      labels:
        team: backend
      extra_hosts:
        - "db=10.0.0.2"
      tags:
        - registry.invalid/team/api:latest
      no_cache: true
  worker:
    build: ./api
`, map[string]string{"api/Dockerfile": "FROM local/busybox\n", "docker/api.Dockerfile": "FROM local/busybox\n"})

	req, err := newBuildRequest(p, "api", BuildOptions{Target: "prod", Pull: true})
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"registry.invalid/team/api:dev", "registry.invalid/team/api:latest"}; !slices.Equal(req.tags, want) {
		t.Errorf("tags: got %q, want %q", req.tags, want)
	}
	if req.target != "prod" || !req.noCache || !req.pull {
		t.Errorf("target %q noCache %v pull %v: want prod, true, true", req.target, req.noCache, req.pull)
	}
	if req.contextDir != filepath.Join(p.WorkingDir, "api") || req.dockerfile.name != filepath.Join("docker", "api.Dockerfile") {
		t.Errorf("context %q, dockerfile %q", req.contextDir, req.dockerfile.name)
	}
	wantLabels := map[string]string{"team": "backend", "com.docker.compose.project": "dstest-request", "com.docker.compose.service": "api"}
	if !reflect.DeepEqual(req.labels, wantLabels) {
		t.Errorf("labels: got %v, want %v", req.labels, wantLabels)
	}
	if got := req.args["PLAIN"]; got == nil || *got != "one" {
		t.Errorf("arg PLAIN: got %v", got)
	}
	if got := req.args["DSTEST_FROM_ENV"]; got == nil || *got != "env-value" {
		t.Errorf("arg DSTEST_FROM_ENV: got %v, want the environment's value", got)
	}
	if got := req.args["UNSET_ARG"]; got != nil {
		t.Errorf("arg UNSET_ARG: got %q, want no value", *got)
	}
	if !slices.Equal(req.extraHosts, []string{"db:10.0.0.2"}) {
		t.Errorf("extra hosts: got %q", req.extraHosts)
	}

	req, err = newBuildRequest(p, "worker", BuildOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(req.tags, []string{"dstest-request-worker"}) || req.target != "" {
		t.Errorf("worker: tags %q target %q, want dstest-request-worker and no target", req.tags, req.target)
	}
}

func TestBuildCancel(t *testing.T) {
	e := buildTestEngine(t)
	name := buildTestProjectName("cancel")
	p := writeBuildProject(t, name, "services:\n  slow:\n    build: .\n", map[string]string{
		"Dockerfile": "FROM local/busybox\nRUN sleep 30 && echo " + name + "\n",
	})
	var log progressLog
	removeBuiltAfter(t, e, name, &log, name+"-slow")

	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	started := time.Now()
	err := e.Build(ctx, p, BuildOptions{Progress: func(pr Progress) {
		log.report(pr)
		if strings.HasPrefix(pr.Text, " ---> Running in") {
			cancel()
		}
	}})
	if !errors.Is(err, context.Canceled) || !strings.Contains(err.Error(), "build slow:") {
		t.Errorf("got %v, want a cancelled build of slow", err)
	}
	if d := time.Since(started); d > 15*time.Second {
		t.Errorf("cancelled build returned after %v, want well before its 30s step ends", d)
	}
	// The engine kills and removes the step's container when the client
	// goes away; find it by the marker in its command.
	deadline := time.Now().Add(10 * time.Second)
	for {
		list, err := e.api.ContainerList(context.Background(), client.ContainerListOptions{All: true})
		if err != nil {
			t.Fatal(err)
		}
		var left []string
		for _, c := range list.Items {
			if strings.Contains(c.Command, name) {
				left = append(left, c.ID)
			}
		}
		if len(left) == 0 {
			return
		}
		if time.Now().After(deadline) {
			for _, id := range left {
				e.api.ContainerRemove(context.Background(), id, client.ContainerRemoveOptions{Force: true})
			}
			t.Fatalf("the cancelled build left containers %v", left)
		}
		time.Sleep(200 * time.Millisecond)
	}
}
