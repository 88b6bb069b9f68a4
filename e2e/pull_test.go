package e2e

import (
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-containerregistry/pkg/name"
	"github.com/google/go-containerregistry/pkg/registry"
	"github.com/google/go-containerregistry/pkg/v1/mutate"
	"github.com/google/go-containerregistry/pkg/v1/random"
	"github.com/google/go-containerregistry/pkg/v1/remote"
	"github.com/google/go-containerregistry/pkg/v1/tarball"
	"github.com/google/go-containerregistry/pkg/v1/types"
)

// slowRegistry serves a registry on loopback whose blobs trickle at about
// 1.5 MB/s, so a pull lasts long enough to be seen on screen. It returns
// the host and a pushed image: the busybox fixture plus two 3 MB random
// layers, with their short layer IDs as the engine names them.
func slowRegistry(t *testing.T, repo string) (ref string, layerIDs []string) {
	t.Helper()
	requireImages(t, "local/busybox")
	inner := registry.New(registry.Logger(log.New(io.Discard, "", 0)))
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv := &httptest.Server{Listener: l, Config: &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodGet || !strings.Contains(r.URL.Path, "/blobs/") || r.Header.Get("X-Admin") != "" {
			inner.ServeHTTP(w, r)
			return
		}
		inner.ServeHTTP(&trickle{ResponseWriter: w}, r)
	})}}
	srv.Start()
	t.Cleanup(srv.Close)
	host := l.Addr().String()

	tarPath := filepath.Join(t.TempDir(), "busybox.tar")
	if out, err := exec.Command("docker", "save", "-o", tarPath, "local/busybox").CombinedOutput(); err != nil {
		t.Fatalf("docker save local/busybox: %v: %s", err, out)
	}
	img, err := tarball.ImageFromPath(tarPath, nil)
	if err != nil {
		t.Fatal(err)
	}
	for range 2 {
		layer, err := random.Layer(3<<20, types.DockerLayer)
		if err != nil {
			t.Fatal(err)
		}
		if img, err = mutate.AppendLayers(img, layer); err != nil {
			t.Fatal(err)
		}
	}
	ref = host + "/" + repo + ":v1"
	tag, _ := name.NewTag(ref, name.Insecure)
	if err := remote.Write(tag, img, remote.WithTransport(adminRoundTripper{})); err != nil {
		t.Fatal(err)
	}
	layers, _ := img.Layers()
	for _, l := range layers {
		d, _ := l.Digest()
		layerIDs = append(layerIDs, d.Hex[:12])
	}
	t.Cleanup(func() { exec.Command("docker", "image", "rm", "-f", ref).Run() })
	return ref, layerIDs
}

// trickle writes a blob in 64 kB pieces about 1.5 MB/s.
type trickle struct{ http.ResponseWriter }

func (t *trickle) Write(p []byte) (int, error) {
	n := 0
	for len(p) > 0 {
		k := min(len(p), 64<<10)
		m, err := t.ResponseWriter.Write(p[:k])
		n += m
		if err != nil {
			return n, err
		}
		t.ResponseWriter.(http.Flusher).Flush()
		time.Sleep(40 * time.Millisecond)
		p = p[k:]
	}
	return n, nil
}

type adminRoundTripper struct{}

func (adminRoundTripper) RoundTrip(r *http.Request) (*http.Response, error) {
	r = r.Clone(r.Context())
	r.Header.Set("X-Admin", "1")
	return http.DefaultTransport.RoundTrip(r)
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
