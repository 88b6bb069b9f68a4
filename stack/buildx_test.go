package stack

import (
	"context"
	"errors"
	"io"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

func TestSelectedBuildxBuilder(t *testing.T) {
	dir := t.TempDir()
	t.Setenv("BUILDX_CONFIG", dir)
	t.Setenv("BUILDX_BUILDER", "")
	host := "unix:///var/run/docker.sock"
	write := func(current string, instances ...string) {
		os.RemoveAll(filepath.Join(dir, "instances"))
		os.MkdirAll(filepath.Join(dir, "instances"), 0o755)
		for _, name := range instances {
			os.WriteFile(filepath.Join(dir, "instances", name), []byte("{}"), 0o644)
		}
		os.WriteFile(filepath.Join(dir, "current"), []byte(current), 0o644)
	}
	for _, tt := range []struct {
		name, current string
		instances     []string
		want          string
	}{
		{"no selection", `{"Key":"","Name":"","Global":false}`, nil, ""},
		{"selected for this engine", `{"Key":"unix:///var/run/docker.sock","Name":"ci","Global":false}`, []string{"ci"}, "ci"},
		{"selected for another engine", `{"Key":"tcp://remote:2376","Name":"ci","Global":false}`, []string{"ci"}, ""},
		{"global", `{"Key":"tcp://remote:2376","Name":"ci","Global":true}`, []string{"ci"}, "ci"},
		{"removed since", `{"Key":"unix:///var/run/docker.sock","Name":"gone","Global":false}`, nil, ""},
		{"default", `{"Key":"unix:///var/run/docker.sock","Name":"default","Global":false}`, []string{"default"}, ""},
		{"broken file", `{`, nil, ""},
	} {
		write(tt.current, tt.instances...)
		if got := selectedBuildxBuilder(host); got != tt.want {
			t.Errorf("%s: got %q, want %q", tt.name, got, tt.want)
		}
	}
	t.Setenv("BUILDX_BUILDER", "from-env")
	if got := selectedBuildxBuilder(host); got != "from-env" {
		t.Errorf("BUILDX_BUILDER: got %q, want from-env", got)
	}
}

// buildxPlugin makes a docker CLI config of the test's own with the buildx
// plugin built by scripts/buildx.sh, and points DOCKER_CONFIG at it.
func buildxPlugin(t *testing.T) string {
	t.Helper()
	cache := os.Getenv("DEVSTACK_CACHE")
	if cache == "" {
		base, err := os.UserCacheDir()
		if err != nil {
			t.Fatal(err)
		}
		cache = filepath.Join(base, "devstack")
	}
	bin := filepath.Join(cache, "buildx-v0.38.2", "cli-plugins", "docker-buildx")
	if _, err := os.Stat(bin); err != nil {
		t.Fatalf("the buildx plugin is missing: build it with `bash scripts/buildx.sh` (%v)", err)
	}
	cfg := t.TempDir()
	os.MkdirAll(filepath.Join(cfg, "cli-plugins"), 0o755)
	if err := os.Symlink(bin, filepath.Join(cfg, "cli-plugins", "docker-buildx")); err != nil {
		t.Fatal(err)
	}
	t.Setenv("DOCKER_CONFIG", cfg)
	t.Setenv("BUILDX_CONFIG", "")
	t.Setenv("BUILDX_BUILDER", "")
	return cfg
}

// useRemoteBuilder creates and selects a buildx builder with the remote
// driver on a unix socket served by serve (the builder is removed with
// the test's config folder).
func useRemoteBuilder(t *testing.T, name string, serve func(net.Conn)) {
	t.Helper()
	sock := filepath.Join(t.TempDir(), "bk.sock")
	l, err := net.Listen("unix", sock)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { l.Close() })
	go func() {
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			go serve(c)
		}
	}()
	for _, args := range [][]string{{"buildx", "create", "--name", name, "--driver", "remote", "unix://" + sock}, {"buildx", "use", name}} {
		if out, err := exec.Command("docker", args...).CombinedOutput(); err != nil {
			t.Fatalf("docker %s: %v\n%s", strings.Join(args, " "), err, out)
		}
	}
}

// relayToEngine relays a connection to the engine's BuildKit (/grpc).
func relayToEngine(e *Engine, c net.Conn) {
	defer c.Close()
	up, err := e.api.DialHijack(context.Background(), "/grpc", "h2c", nil)
	if err != nil {
		return
	}
	defer up.Close()
	go io.Copy(up, c)
	io.Copy(c, up)
}

// TestBuildxSelectedBuilderIsUsed selects a buildx builder (the remote
// driver, relayed to this engine's BuildKit) and checks that devstack
// builds through the buildx plugin with it and names buildx's error: the
// remote builder on Engine 20.10 has no "docker" exporter for --load.
func TestBuildxSelectedBuilderIsUsed(t *testing.T) {
	e := buildTestEngine(t)
	buildxPlugin(t)
	name := buildTestProjectName("bx")
	useRemoteBuilder(t, name, func(c net.Conn) { relayToEngine(e, c) })
	p := writeBuildProject(t, name, "services:\n  app:\n    build: .\n", map[string]string{"Dockerfile": "FROM local/busybox\nRUN echo hi\n"})
	var log progressLog
	removeBuiltAfter(t, e, name, &log, name+"-app")
	err := e.Build(context.Background(), p, BuildOptions{Progress: log.report})
	if kind, _ := e.chooseBuilder(context.Background()); kind != builderBuildx {
		t.Errorf("builder: got %v, want the buildx plugin for the selected builder", kind)
	}
	if err == nil {
		if _, ierr := e.ImageInfo(context.Background(), name+"-app"); ierr != nil {
			t.Errorf("buildx reported success but image %s-app is missing: %v", name, ierr)
		}
		return
	}
	for _, want := range []string{"build app: docker buildx (builder " + name + "):", "exporter"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q does not contain %q", err, want)
		}
	}
	if left := markedProcesses(name); len(left) > 0 {
		t.Errorf("buildx processes left: %v", left)
	}
}

// TestBuildxCancel cancels a build whose selected builder never answers:
// Build returns at once and no buildx process is left (before, the plugin
// ran on after its docker parent was killed).
func TestBuildxCancel(t *testing.T) {
	e := buildTestEngine(t)
	buildxPlugin(t)
	name := buildTestProjectName("bxcancel")
	// `buildx create` checks the builder: answer that, then fall silent.
	var silent atomic.Bool
	useRemoteBuilder(t, name, func(c net.Conn) {
		if silent.Load() {
			time.Sleep(2 * time.Minute)
			c.Close()
			return
		}
		relayToEngine(e, c)
	})
	silent.Store(true)
	p := writeBuildProject(t, name, "services:\n  app:\n    build: .\n", map[string]string{"Dockerfile": "FROM local/busybox\n"})
	var log progressLog
	removeBuiltAfter(t, e, name, &log, name+"-app")
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	started := time.Now()
	time.AfterFunc(3*time.Second, cancel)
	err := e.Build(ctx, p, BuildOptions{Progress: log.report})
	if !errors.Is(err, context.Canceled) {
		t.Errorf("got %v, want a cancelled build", err)
	}
	t.Logf("cancelled build returned after %v", time.Since(started))
	if d := time.Since(started); d > 20*time.Second { // cancelled at 3 s; the old fault ran on past 30 s
		t.Errorf("cancelled build returned after %v", d)
	}
	deadline := time.Now().Add(10 * time.Second)
	for len(markedProcesses(name+"-app")) > 0 {
		if time.Now().After(deadline) {
			t.Fatalf("buildx processes left after cancel: %v", markedProcesses(name+"-app"))
		}
		time.Sleep(200 * time.Millisecond)
	}
}
