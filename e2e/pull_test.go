package e2e

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/tarball"

	"github.com/devstack/devstack/internal/testregistry"
)

// slowRegistry serves a registry on loopback whose blobs trickle at about
// 1.5 MB/s, so a pull lasts long enough to be seen on screen. It returns
// the host and a pushed image: the busybox fixture plus two 3 MB random
// layers, with their short layer IDs as the engine names them.
func slowRegistry(t *testing.T, repo string) (ref string, layerIDs []string) {
	t.Helper()
	reg := testregistry.Start(t, testregistry.NewThrottle(40*time.Millisecond).Wrap)
	img := testregistry.WithRandomLayers(t, busyboxImage(t), 3<<20, 3<<20)
	ref = reg.Push(t, repo+":v1", img)
	layers, _ := img.Layers()
	for _, l := range layers {
		d, _ := l.Digest()
		layerIDs = append(layerIDs, d.Hex[:12])
	}
	t.Cleanup(func() { exec.Command("docker", "image", "rm", "-f", ref).Run() })
	return ref, layerIDs
}

// busyboxImage is the busybox fixture as a go-containerregistry image, the
// base of images pushed to a test registry so they run.
func busyboxImage(t *testing.T) v1.Image {
	t.Helper()
	requireImages(t, "local/busybox")
	tarPath := filepath.Join(t.TempDir(), "busybox.tar")
	if out, err := exec.Command("docker", "save", "-o", tarPath, "local/busybox").CombinedOutput(); err != nil {
		t.Fatalf("docker save local/busybox: %v: %s", err, out)
	}
	img, err := tarball.ImageFromPath(tarPath, nil)
	if err == nil {
		img, err = testregistry.InMemory(img)
	}
	if err != nil {
		t.Fatalf("the busybox fixture as a base image: %v", err)
	}
	return img
}

// TestCLIPullProgress pulls through the real binary without a terminal:
// plain lines name every layer as it completes, then the image pulled;
// the next up finds it present and pulls nothing.
func TestCLIPullProgress(t *testing.T) {
	ref, layers := slowRegistry(t, "e2e/pull")
	dir := t.TempDir()
	compose := fmt.Sprintf("services:\n  app:\n    image: %s\n    init: true\n    command: [\"sleep\", \"1d\"]\n", ref)
	if err := os.WriteFile(filepath.Join(dir, "compose.yaml"), []byte(compose), 0o644); err != nil {
		t.Fatal(err)
	}
	name := projectName(t, "pull")
	r := mustRun(t, dir, "-p", name, "pull")
	for _, want := range append([]string{"Pulling"}, layers...) {
		if !strings.Contains(r.stderr, want) {
			t.Errorf("pull output lacks %q:\n%s", want, r.stderr)
		}
	}
	for _, id := range layers[1:] {
		if !strings.Contains(r.stderr, id+" Pull complete") {
			t.Errorf("no completion line for layer %s:\n%s", id, r.stderr)
		}
	}
	if !strings.Contains(r.stderr, "Pulled") || !strings.Contains(r.stderr, "layers") {
		t.Errorf("no progress or final line:\n%s", r.stderr)
	}
	r = mustRun(t, dir, "-p", name, "up", "-d")
	if strings.Contains(r.stderr, "Pulling") {
		t.Errorf("up pulled a present image:\n%s", r.stderr)
	}
}

// TestDashboardShowsPull opens `devstack up` on a terminal while the image
// trickles in: the service's row shows the pull's percent and bytes, then
// the running container.
func TestDashboardShowsPull(t *testing.T) {
	ref, _ := slowRegistry(t, "e2e/dash")
	dir := t.TempDir()
	compose := fmt.Sprintf("services:\n  web:\n    image: %s\n    init: true\n    command: [\"sleep\", \"1d\"]\n", ref)
	if err := os.WriteFile(filepath.Join(dir, "compose.yaml"), []byte(compose), 0o644); err != nil {
		t.Fatal(err)
	}
	name := projectName(t, "dpull")
	s := startScreen(t, dir, 120, 30, "-p", name, "up")
	scr := s.waitUntil(2*time.Minute, "the web row to show the pull", func(scr string) bool {
		return strings.Contains(lineWith(scr, "web"), "pulling ") && strings.Contains(lineWith(scr, "web"), " MB")
	})
	t.Logf("during the pull:\n%s", lineWith(scr, "web"))
	s.waitFor(2*time.Minute, "1/1 running")
}

// TestCLIPullLiveOnTerminal runs `devstack pull` on a terminal: one live
// line for the image with percent, bytes and speed, a line per layer while
// there is room, and the Pulled line at the end.
func TestCLIPullLiveOnTerminal(t *testing.T) {
	ref, layers := slowRegistry(t, "e2e/live")
	dir := t.TempDir()
	compose := fmt.Sprintf("services:\n  app:\n    image: %s\n", ref)
	if err := os.WriteFile(filepath.Join(dir, "compose.yaml"), []byte(compose), 0o644); err != nil {
		t.Fatal(err)
	}
	s := startScreen(t, dir, 120, 30, "-p", projectName(t, "live"), "pull")
	scr := s.waitUntil(time.Minute, "a live line with percent, bytes and a line per layer", func(scr string) bool {
		line := lineWith(scr, ref)
		return strings.Contains(line, "Pulling") && strings.Contains(line, "%") && strings.Contains(line, " MB") &&
			strings.Contains(scr, layers[1]) && strings.Contains(scr, layers[2])
	})
	t.Logf("during the pull:\n%s", scr)
	scr = s.waitFor(time.Minute, "Pulled", "DEVSTACK EXITED 0")
	if n := strings.Count(scr, ref); n != 1 {
		t.Errorf("the image shows on %d lines at the end, want 1 (redrawn in place):\n%s", n, scr)
	}
}
