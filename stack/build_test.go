package stack

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/moby/moby/client"
)

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
	// base (2 steps), builder (1) and debug (1): the steps the target
	// needs, numbered 1..4 of 4 as they start.
	seen := map[int]bool{}
	log.mu.Lock()
	for _, p := range log.items {
		if p.Step > 0 {
			seen[p.Step] = true
			if p.Total != 4 {
				t.Errorf("step line %q: total %d, want 4", p.Text, p.Total)
			}
		}
	}
	log.mu.Unlock()
	if len(seen) != 4 || !seen[1] || !seen[4] {
		t.Errorf("build steps: got %v, want 1..4:\n%s", seen, strings.Join(log.texts(ProgressOutput), "\n"))
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
		if it.Step > 0 && strings.HasSuffix(it.Text, "RUN sleep 2") {
			// Step 2 runs for two seconds after its line is reported: a
			// builder whose output were buffered until the end would
			// deliver the line just before returning.
			if lead := returned.Sub(log.times[i]); lead < time.Second {
				t.Errorf("step RUN sleep 2 reported %v before Build returned, want at least 1s", lead)
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
	for _, want := range []string{"build broken: Dockerfile:2: RUN echo about to fail && exit 3:", "exit code: 3", "output:\n    about to fail"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q does not contain %q", err, want)
		}
	}
	if _, err := e.ImageInfo(ctx, name+"-broken"); err == nil {
		t.Errorf("a failed build left image %s-broken", name)
	}
}

func TestBuildNeedsBuildKit(t *testing.T) {
	t.Setenv("DOCKER_BUILDKIT", "0")
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
	for _, want := range []string{"build cached:", "docker/Dockerfile:3", "RUN --mount", "DOCKER_BUILDKIT=0"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q does not contain %q", err, want)
		}
	}
	if out := log.texts(ProgressOutput); len(out) != 0 {
		t.Errorf("the engine was asked to build: output %q", out)
	}
}

func TestBuildCancel(t *testing.T) {
	for _, builder := range []string{"buildkit", "classic"} {
		t.Run(builder, func(t *testing.T) {
			if builder == "classic" {
				t.Setenv("DOCKER_BUILDKIT", "0")
			}
			testBuildCancel(t)
		})
	}
}

// testBuildCancel cancels a build while its 30 s step runs and checks
// that Build returns at once and that nothing of the step keeps running:
// no container (classic builder) and no process (BuildKit runs steps
// outside containers the engine lists) whose command holds the marker.
func testBuildCancel(t *testing.T) {
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
	err := e.Build(ctx, p, BuildOptions{NoCache: true, Progress: func(pr Progress) {
		log.report(pr)
		if strings.Contains(pr.Text, "RUN sleep 30") && (pr.Step > 0 || strings.HasPrefix(pr.Text, "Step")) {
			// Let the step's process start before cancelling.
			time.AfterFunc(time.Second, cancel)
		}
	}})
	if !errors.Is(err, context.Canceled) || !strings.Contains(err.Error(), "build slow:") {
		t.Errorf("got %v, want a cancelled build of slow", err)
	}
	if d := time.Since(started); d > 15*time.Second {
		t.Errorf("cancelled build returned after %v, want well before its 30s step ends", d)
	}
	deadline := time.Now().Add(10 * time.Second)
	for {
		left := append(markedContainers(t, e, name), markedProcesses(name)...)
		if len(left) == 0 {
			return
		}
		if time.Now().After(deadline) {
			for _, id := range markedContainers(t, e, name) {
				e.api.ContainerRemove(context.Background(), id, client.ContainerRemoveOptions{Force: true})
			}
			t.Fatalf("the cancelled build left %v running", left)
		}
		time.Sleep(200 * time.Millisecond)
	}
}

// markedContainers are the containers whose command holds marker.
func markedContainers(t *testing.T, e *Engine, marker string) []string {
	list, err := e.api.ContainerList(context.Background(), client.ContainerListOptions{All: true})
	if err != nil {
		t.Fatal(err)
	}
	var left []string
	for _, c := range list.Items {
		if strings.Contains(c.Command, marker) {
			left = append(left, "container "+c.ID)
		}
	}
	return left
}

// markedProcesses are the processes on this machine (where the test
// engine runs) whose command line holds marker.
func markedProcesses(marker string) []string {
	dirs, _ := filepath.Glob("/proc/[0-9]*/cmdline")
	var left []string
	for _, f := range dirs {
		b, err := os.ReadFile(f)
		if err == nil && strings.Contains(string(b), marker) {
			left = append(left, "process "+strings.ReplaceAll(string(b), "\x00", " "))
		}
	}
	return left
}
