package stack

import (
	"archive/tar"
	"bytes"
	"context"
	"errors"
	"io"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

// These tests build through the engine's own BuildKit (Engine 20.10 here
// has it built in) with fixture images only: no `# syntax=` line, nothing
// pulled.

func TestBuildKitTargetSkipsUnneededStage(t *testing.T) {
	e := buildTestEngine(t)
	ctx := context.Background()
	name := buildTestProjectName("skip")
	p := writeBuildProject(t, name, "services:\n  app:\n    build:\n      context: .\n      target: test\n", map[string]string{
		"Dockerfile": "FROM local/busybox AS base\nRUN echo base > /base\n" +
			"FROM base AS heavy\nRUN sleep 30 && echo heavy-" + name + " > /heavy\n" +
			"FROM base AS test\nRUN echo test > /test\n" +
			"FROM heavy AS final\nCOPY --from=test /test /test\n",
	})
	var log progressLog
	removeBuiltAfter(t, e, name, &log, name+"-app")

	started := time.Now()
	if err := e.Build(ctx, p, BuildOptions{NoCache: true, Progress: log.report}); err != nil {
		t.Fatal(err)
	}
	if d := time.Since(started); d > 27*time.Second { // the heavy stage alone sleeps 30 s
		t.Errorf("build of test took %v: the 30 s heavy stage ran", d)
	}
	out := strings.Join(log.texts(ProgressOutput), "\n")
	if strings.Contains(out, "heavy") {
		t.Errorf("the build ran the heavy stage the test target does not need:\n%s", out)
	}
	if got, err := readImageFile(t, e, name, name+"-app", "/test"); err != nil || got != "test\n" {
		t.Errorf("/test: got %q, %v; want the test stage's file", got, err)
	}
	if _, err := readImageFile(t, e, name, name+"-app", "/heavy"); err == nil {
		t.Errorf("the image has /heavy: built from the wrong stage")
	}
	if got := inspectLabel(t, e, name+"-app", stageLabel); got != "test" {
		t.Errorf("label %s: got %q, want test", stageLabel, got)
	}
}

func TestBuildKitCacheMountReused(t *testing.T) {
	e := buildTestEngine(t)
	ctx := context.Background()
	name := buildTestProjectName("cachemount")
	// The first run fills the cache mount slowly; a second run finds it.
	p := writeBuildProject(t, name, "services:\n  app:\n    build:\n      context: .\n      args: {RUN_ID: x}\n", map[string]string{
		"Dockerfile": "FROM local/busybox\nARG RUN_ID\n" +
			"RUN --mount=type=cache,id=" + name + ",target=/cache " +
			"sh -c '[ -f /cache/filled ] || { sleep 6; echo filled > /cache/filled; }; echo $RUN_ID >> /cache/runs; cat /cache/runs > /runs'\n",
	})
	var log progressLog
	removeBuiltAfter(t, e, name, &log, name+"-app")

	var took []time.Duration
	for _, id := range []string{"first", "second"} {
		p.model.project.Services["app"].Build.Args["RUN_ID"] = &id
		started := time.Now()
		if err := e.Build(ctx, p, BuildOptions{Progress: log.report}); err != nil {
			t.Fatal(err)
		}
		took = append(took, time.Since(started))
	}
	if got, err := readImageFile(t, e, name, name+"-app", "/runs"); err != nil || got != "first\nsecond\n" {
		t.Errorf("/runs: got %q, %v; want both runs recorded in the cache mount", got, err)
	}
	// /runs above proves the mount was reused; the time shows the 6 s
	// fill skipped (a margin tighter than "faster" fails on a loaded
	// machine, where both builds wait on other tests).
	t.Logf("first build %v, second %v", took[0], took[1])
	if took[1] >= took[0] {
		t.Errorf("second build took %v, first %v: want the filled cache to skip the 6 s fill", took[1], took[0])
	}
}

func TestBuildKitSecretsStayOutOfTheImage(t *testing.T) {
	e := buildTestEngine(t)
	ctx := context.Background()
	name := buildTestProjectName("secret")
	fileSecret, envSecret := "file-"+name+"-s3cr3t", "env-"+name+"-t0k3n"
	t.Setenv("DSTEST_BUILD_TOKEN", envSecret)
	p := writeBuildProject(t, name, `
secrets:
  filesecret:
    file: ./secret.txt
  envsecret:
    environment: DSTEST_BUILD_TOKEN
services:
  app:
    build:
      context: .
      secrets: [filesecret, {source: envsecret, target: token}]
`, map[string]string{
		"secret.txt":    fileSecret,
		".dockerignore": "secret.txt\n",
		"Dockerfile": "FROM local/busybox\n" +
			"RUN --mount=type=secret,id=filesecret --mount=type=secret,id=token " +
			"sh -c 'cat /run/secrets/filesecret /run/secrets/token | wc -c > /len'\n",
	})
	var log progressLog
	removeBuiltAfter(t, e, name, &log, name+"-app")

	if err := e.Build(ctx, p, BuildOptions{Progress: log.report}); err != nil {
		t.Fatal(err)
	}
	want := len(fileSecret) + len(envSecret)
	if got, err := readImageFile(t, e, name, name+"-app", "/len"); err != nil || strings.TrimSpace(got) != itoa(want) {
		t.Errorf("/len: got %q, %v; want %d: the step did not see both secrets", got, err, want)
	}
	hist, err := e.api.ImageHistory(ctx, name+"-app")
	if err != nil {
		t.Fatal(err)
	}
	for _, h := range hist.Items {
		for _, s := range []string{fileSecret, envSecret} {
			if strings.Contains(h.CreatedBy, s) {
				t.Errorf("image history holds a secret: %q", h.CreatedBy)
			}
		}
	}
	saved := savedImageBytes(t, e, name+"-app")
	for _, s := range []string{fileSecret, envSecret} {
		if bytes.Contains(saved, []byte(s)) {
			t.Errorf("the exported image (config and layers) holds the secret %q", s)
		}
	}
	if !bytes.Contains(saved, []byte(itoa(want)+"\n")) {
		t.Errorf("the exported layers do not hold /len: the scan of the export is broken")
	}
}

func TestBuildKitUnknownTargetListsStages(t *testing.T) {
	e := buildTestEngine(t)
	name := buildTestProjectName("notarget")
	p := writeBuildProject(t, name, "services:\n  app:\n    build: .\n", map[string]string{
		"Dockerfile": "FROM local/busybox AS base\nFROM base AS dev\nFROM base\n",
	})
	var log progressLog
	err := e.Build(context.Background(), p, BuildOptions{Target: "prod", Progress: log.report})
	if err == nil {
		t.Fatal("build --target prod: got no error")
	}
	for _, want := range []string{"build app:", `target stage "prod" not found in Dockerfile`, "base, dev, #2"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q does not contain %q", err, want)
		}
	}
	if out := log.texts(ProgressOutput); len(out) != 0 {
		t.Errorf("the engine was asked to build: %q", out)
	}
}

// TestBuildKitFrontendTooOld checks the refusal of syntax beyond the
// engine's built-in Dockerfile frontend; on an engine whose BuildKit is
// new enough the same Dockerfile must build.
func TestBuildKitFrontendTooOld(t *testing.T) {
	e := buildTestEngine(t)
	ctx := context.Background()
	info := e.buildKit(ctx)
	for _, tt := range []struct{ name, dockerfile, feature string }{
		{"heredoc", "FROM local/busybox\n\nRUN <<EOF\necho hi > /hi\nEOF\n", "Dockerfile:3: RUN heredoc <<EOF"},
		{"link", "FROM local/busybox\nCOPY --link Dockerfile /d\n", "Dockerfile:2: COPY --link"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			name := buildTestProjectName("frontend")
			p := writeBuildProject(t, name, "services:\n  app:\n    build: .\n", map[string]string{"Dockerfile": tt.dockerfile})
			var log progressLog
			removeBuiltAfter(t, e, name, &log, name+"-app")
			err := e.Build(ctx, p, BuildOptions{Progress: log.report})
			if info.version != "" {
				if err != nil {
					t.Errorf("BuildKit %s: got %v, want the build to work", info.version, err)
				}
				return
			}
			if !errors.Is(err, ErrFrontendTooOld) {
				t.Fatalf("got %v, want ErrFrontendTooOld", err)
			}
			for _, want := range []string{tt.feature, "Engine " + info.engineVersion, "Engine 23 or newer"} {
				if !strings.Contains(err.Error(), want) {
					t.Errorf("error %q does not contain %q", err, want)
				}
			}
		})
	}
}

// savedImageBytes exports an image as `docker save` does and returns the
// bytes of every file in it, layer archives unpacked.
func savedImageBytes(t *testing.T, e *Engine, ref string) []byte {
	t.Helper()
	rc, err := e.api.ImageSave(context.Background(), []string{ref})
	if err != nil {
		t.Fatal(err)
	}
	defer rc.Close()
	var all bytes.Buffer
	tr := tar.NewReader(rc)
	for {
		hdr, err := tr.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(tr)
		if strings.HasSuffix(hdr.Name, ".tar") || filepath.Dir(hdr.Name) == "blobs/sha256" {
			appendTarFiles(&all, body)
		}
		all.Write(body)
	}
	return all.Bytes()
}

// appendTarFiles appends the files of a layer archive; a blob that is not
// an archive adds nothing.
func appendTarFiles(w *bytes.Buffer, layer []byte) {
	tr := tar.NewReader(bytes.NewReader(layer))
	for {
		if _, err := tr.Next(); err != nil {
			return
		}
		io.Copy(w, tr)
	}
}

func inspectLabel(t *testing.T, e *Engine, ref, key string) string {
	t.Helper()
	res, err := e.api.ImageInspect(context.Background(), ref)
	if err != nil {
		t.Fatalf("inspect %s: %v", ref, err)
	}
	return res.Config.Labels[key]
}

func itoa(n int) string { return strconv.Itoa(n) }
