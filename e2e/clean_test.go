package e2e

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// devstackStdin runs the binary in dir with the given standard input.
func devstackStdin(t *testing.T, dir, stdin string, args ...string) result {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, binary, args...)
	cmd.Dir = dir
	cmd.Env = append(cleanEnv(), "NO_COLOR=1")
	cmd.Stdin = strings.NewReader(stdin)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	r := result{stdout: out.String(), stderr: errb.String()}
	if ee, ok := err.(*exec.ExitError); ok {
		r.code = ee.ExitCode()
	} else if err != nil {
		t.Fatalf("run devstack %v: %v", args, err)
	}
	if r.code != 0 {
		t.Fatalf("devstack %s: exit %d\nstdout:\n%s\nstderr:\n%s", strings.Join(args, " "), r.code, r.stdout, r.stderr)
	}
	return r
}

// dockerLines runs the docker CLI and returns its output's fields.
func dockerLines(t *testing.T, args ...string) []string {
	t.Helper()
	out, err := exec.Command("docker", args...).Output()
	if err != nil {
		t.Fatalf("docker %v: %v", args, err)
	}
	return strings.Fields(string(out))
}

// TestCleanConfirmation drives devstack clean through its prompts: a dry
// run and a "n" remove nothing, "y" removes the rebuild's dangling image
// and the one-off container but not the named volume, which goes only with
// --volumes and a second "y" naming it (-y does not answer that one).
func TestCleanConfirmation(t *testing.T) {
	requireImages(t, "local/busybox")
	name := projectName(t, "clean")
	dir := writeCompose(t, "services:\n  app:\n    build: .\n    init: true\n    command: [sleep, 1d]\n    volumes: [data:/data]\nvolumes:\n  data: {}\n")
	writeFile := func(content string) {
		if err := os.WriteFile(filepath.Join(dir, "Dockerfile"), []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	writeFile("FROM local/busybox\nRUN echo one > /v\n")
	mustRun(t, dir, "-p", name, "up", "-d")
	writeFile("FROM local/busybox\nRUN echo two > /v\n")
	mustRun(t, dir, "-p", name, "up", "-d", "--build")
	runCompose(t, dir, "-p", name, "run", "-T", "app", "true")
	label := "label=com.docker.compose.project=" + name
	dangling := func() []string { return dockerLines(t, "images", "-q", "--filter", "dangling=true", "--filter", label) }
	oneOffs := func() []string {
		return dockerLines(t, "ps", "-aq", "--filter", label, "--filter", "label=com.docker.compose.oneoff=True")
	}
	volumes := func() []string { return dockerLines(t, "volume", "ls", "-q", "--filter", label) }
	untouched := func(when string) {
		t.Helper()
		if len(dangling()) != 1 || len(oneOffs()) != 1 || len(volumes()) != 1 {
			t.Fatalf("%s: got dangling %v, one-offs %v, volumes %v; want one of each, untouched", when, dangling(), oneOffs(), volumes())
		}
	}
	untouched("before clean")

	dry := devstackStdin(t, dir, "", "-p", name, "clean", "--dry-run")
	for _, want := range []string{"dangling image", "one-off container", "Dry run: nothing removed."} {
		if !strings.Contains(dry.stdout, want) {
			t.Errorf("clean --dry-run output lacks %q:\n%s", want, dry.stdout)
		}
	}
	untouched("after --dry-run")
	no := devstackStdin(t, dir, "n\n", "-p", name, "clean")
	if !strings.Contains(no.stdout, "Remove the 2 items above") || !strings.Contains(no.stdout, "Nothing removed.") {
		t.Errorf("clean answered n: got\n%s", no.stdout)
	}
	untouched("after answering n")

	yes := devstackStdin(t, dir, "y\n", "-p", name, "clean")
	if len(dangling()) != 0 || len(oneOffs()) != 0 || len(volumes()) != 1 {
		t.Fatalf("clean answered y: dangling %v, one-offs %v, volumes %v; want only the named volume left\n%s", dangling(), oneOffs(), volumes(), yes.stdout)
	}
	df := mustRun(t, dir, "-p", name, "df", "-v")
	for _, want := range []string{"Project " + name, name + "_data", name + "-app-1", "Build cache"} {
		if !strings.Contains(df.stdout, want) {
			t.Errorf("df -v output lacks %q:\n%s", want, df.stdout)
		}
	}
	mustRun(t, dir, "-p", name, "down")
	devstackStdin(t, dir, "", "-p", name, "clean", "-y", "--volumes")
	keep := devstackStdin(t, dir, "n\n", "-p", name, "clean", "--volumes")
	if !strings.Contains(keep.stdout, name+"_data") || !strings.Contains(keep.stdout, "Named volumes kept.") || len(volumes()) != 1 {
		t.Fatalf("clean --volumes answered n: volumes %v, output\n%s", volumes(), keep.stdout)
	}
	devstackStdin(t, dir, "y\n", "-p", name, "clean", "-y", "--volumes")
	if v := volumes(); len(v) != 0 {
		t.Errorf("clean --volumes answered y: volumes %v remain", v)
	}
}
