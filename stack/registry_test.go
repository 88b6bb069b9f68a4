package stack

import (
	"context"
	"encoding/base64"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	cerrdefs "github.com/containerd/errdefs"
	"github.com/google/go-containerregistry/pkg/name"
	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/mutate"
	"github.com/google/go-containerregistry/pkg/v1/remote"
	"github.com/google/go-containerregistry/pkg/v1/tarball"
	"github.com/moby/moby/client"

	"github.com/devstack/devstack/internal/testregistry"
)

// The registry harness: a real registry (go-containerregistry's) served on
// 127.0.0.1 in the test process, which the engine pulls from over plain
// HTTP (dockerd treats 127.0.0.0/8 as insecure). A wrapper can require
// basic auth or a bearer-token flow, and cut a blob's transfer halfway.

const (
	regUser = "devtest"
	regPass = "s3cret-Pa55word"
)

// testRegistry is one in-process registry.
type testRegistry struct {
	*testregistry.Registry
	inner http.Handler
	token string

	mu   sync.Mutex
	auth string // "", "basic", "bearer" or "ratelimit" (429 on manifests)
	// cut is the digest of a blob whose transfers are cut halfway.
	cut  string
	cuts atomic.Int32
	// blobGets counts GETs of blobs (layers and configs) by the engine.
	blobGets atomic.Int32
}

// startRegistry serves a registry on a free loopback port until the test ends.
func startRegistry(t testing.TB) *testRegistry {
	t.Helper()
	r := &testRegistry{token: "tok-" + stackSuffix(t)}
	r.Registry = testregistry.Start(t, func(inner http.Handler) http.Handler {
		r.inner = inner
		return r
	})
	return r
}

func (r *testRegistry) setAuth(kind string) {
	r.mu.Lock()
	r.auth = kind
	r.mu.Unlock()
}

func (r *testRegistry) setCut(digest string) {
	r.mu.Lock()
	r.cut = digest
	r.mu.Unlock()
}

func (r *testRegistry) ServeHTTP(w http.ResponseWriter, req *http.Request) {
	r.mu.Lock()
	auth, cut := r.auth, r.cut
	r.mu.Unlock()
	if req.URL.Path == "/token" {
		r.serveToken(w, req)
		return
	}
	if auth == "ratelimit" && !testregistry.IsAdmin(req) && strings.Contains(req.URL.Path, "/manifests/") {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusTooManyRequests)
		fmt.Fprint(w, `{"errors":[{"code":"TOOMANYREQUESTS","message":"You have reached your pull rate limit. You may increase the limit by authenticating and upgrading"}]}`)
		return
	}
	if !testregistry.IsAdmin(req) && !r.authorized(auth, req) {
		r.challenge(w, auth)
		return
	}
	if req.Method == http.MethodGet && strings.Contains(req.URL.Path, "/blobs/") && !testregistry.IsAdmin(req) {
		r.blobGets.Add(1)
		if cut != "" && strings.HasSuffix(req.URL.Path, cut) {
			r.cuts.Add(1)
			r.serveCut(w, req)
			return
		}
	}
	r.inner.ServeHTTP(w, req)
}

func (r *testRegistry) authorized(auth string, req *http.Request) bool {
	h := req.Header.Get("Authorization")
	switch auth {
	case "basic":
		u, p, ok := req.BasicAuth()
		return ok && u == regUser && p == regPass
	case "bearer":
		return h == "Bearer "+r.token
	}
	return true
}

func (r *testRegistry) challenge(w http.ResponseWriter, auth string) {
	switch auth {
	case "basic":
		w.Header().Set("WWW-Authenticate", `Basic realm="devstack-test"`)
	case "bearer":
		w.Header().Set("WWW-Authenticate", fmt.Sprintf(`Bearer realm="http://%s/token",service="devstack-test"`, r.Host))
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(http.StatusUnauthorized)
	fmt.Fprint(w, `{"errors":[{"code":"UNAUTHORIZED","message":"authentication required"}]}`)
}

// serveToken is the token endpoint of the bearer flow: it trades the basic
// credentials for the registry's token.
func (r *testRegistry) serveToken(w http.ResponseWriter, req *http.Request) {
	u, p, ok := req.BasicAuth()
	if !ok || u != regUser || p != regPass {
		w.WriteHeader(http.StatusUnauthorized)
		fmt.Fprint(w, `{"errors":[{"code":"UNAUTHORIZED","message":"bad credentials"}]}`)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	fmt.Fprintf(w, `{"token":%q,"access_token":%q,"expires_in":300}`, r.token, r.token)
}

// serveCut sends the first half of the blob and drops the connection;
// the engine's resumed requests (a Range from where it stopped) get their
// headers and then a dropped connection too, as from a registry gone bad.
func (r *testRegistry) serveCut(w http.ResponseWriter, req *http.Request) {
	rng := req.Header.Get("Range")
	req.Header.Del("Range")
	rec := httptest.NewRecorder()
	r.inner.ServeHTTP(rec, req)
	body := rec.Body.Bytes()
	for k, v := range rec.Header() {
		w.Header()[k] = v
	}
	var from int
	if _, err := fmt.Sscanf(rng, "bytes=%d-", &from); err == nil && rng != "" && from < len(body) {
		w.Header().Set("Content-Range", fmt.Sprintf("bytes %d-%d/%d", from, len(body)-1, len(body)))
		w.Header().Set("Content-Length", fmt.Sprint(len(body)-from))
		w.WriteHeader(http.StatusPartialContent)
	} else {
		w.Header().Set("Content-Length", fmt.Sprint(len(body)))
		w.WriteHeader(rec.Code)
		w.Write(body[:len(body)/2])
	}
	w.(http.Flusher).Flush()
	if conn, _, err := w.(http.Hijacker).Hijack(); err == nil {
		conn.Close()
	}
}

var (
	baseImageOnce sync.Once
	baseImage     v1.Image
	baseImageErr  error
)

// busyboxBase is the busybox fixture as a go-containerregistry image, so
// images pushed to the test registry can run.
func busyboxBase(t testing.TB, e *Engine) v1.Image {
	t.Helper()
	requireFixture(t, e, "local/busybox")
	baseImageOnce.Do(func() {
		dir, err := os.MkdirTemp("", "devstack-busybox-")
		if err != nil {
			baseImageErr = err
			return
		}
		path := filepath.Join(dir, "busybox.tar")
		rc, err := e.api.ImageSave(context.Background(), []string{"local/busybox"})
		if err != nil {
			baseImageErr = err
			return
		}
		defer rc.Close()
		f, err := os.Create(path)
		if err == nil {
			_, err = io.Copy(f, rc)
			f.Close()
		}
		if err != nil {
			baseImageErr = err
			return
		}
		tag, _ := name.NewTag("local/busybox:latest")
		if baseImage, baseImageErr = tarball.ImageFromPath(path, &tag); baseImageErr == nil {
			baseImage, baseImageErr = testregistry.InMemory(baseImage)
		}
	})
	if baseImageErr != nil {
		t.Fatalf("busybox fixture as a base image: %v", baseImageErr)
	}
	return baseImage
}

// pushRandom writes repo:tag to the registry: busybox plus random
// (incompressible) layers of the given sizes, with the given creation
// time. It returns the reference the engine pulls and the manifest digest.
func (r *testRegistry) pushRandom(t testing.TB, e *Engine, repoTag string, created time.Time, sizes ...int64) (string, string) {
	t.Helper()
	img := testregistry.WithRandomLayers(t, busyboxBase(t, e), sizes...)
	img, err := mutate.CreatedAt(img, v1.Time{Time: created})
	if err != nil {
		t.Fatal(err)
	}
	ref := r.Push(t, repoTag, img)
	d, err := img.Digest()
	if err != nil {
		t.Fatal(err)
	}
	return ref, d.String()
}

// layerDigests are the digests of an image's layers in the registry.
func (r *testRegistry) layerDigests(t testing.TB, ref string) []string {
	t.Helper()
	tag, err := name.NewTag(ref, name.Insecure)
	if err != nil {
		t.Fatal(err)
	}
	img, err := remote.Image(tag, remote.WithTransport(testregistry.AdminTransport{}))
	if err != nil {
		t.Fatal(err)
	}
	ls, err := img.Layers()
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, l := range ls {
		d, _ := l.Digest()
		out = append(out, d.String())
	}
	return out
}

// removeImagesAtCleanup removes, when the test ends, every image the
// engine holds under the registry's host, by reference.
func removeImagesAtCleanup(t testing.TB, e *Engine, host string) {
	t.Cleanup(func() {
		ctx := context.Background()
		list, err := e.api.ImageList(ctx, client.ImageListOptions{All: true})
		if err != nil {
			t.Errorf("cleanup: list images: %v", err)
			return
		}
		for _, img := range list.Items {
			refs := append(append([]string{}, img.RepoTags...), img.RepoDigests...)
			for _, ref := range refs {
				if !strings.HasPrefix(ref, host+"/") {
					continue
				}
				if _, err := e.api.ImageRemove(ctx, ref, client.ImageRemoveOptions{Force: true, PruneChildren: true}); err != nil && !cerrdefs.IsNotFound(err) {
					t.Errorf("cleanup: remove image %s: %v", ref, err)
				}
			}
		}
	})
}

// removeImage removes one reference now (images must be absent for a test).
func removeImage(t testing.TB, e *Engine, ref string) {
	t.Helper()
	if _, err := e.api.ImageRemove(context.Background(), ref, client.ImageRemoveOptions{Force: true, PruneChildren: true}); err != nil && !cerrdefs.IsNotFound(err) {
		t.Fatalf("remove image %s: %v", ref, err)
	}
}

// dockerConfig points DOCKER_CONFIG at a temporary folder holding the
// given config.json.
func dockerConfig(t *testing.T, configJSON string) string {
	t.Helper()
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "config.json"), []byte(configJSON), 0o600); err != nil {
		t.Fatal(err)
	}
	t.Setenv("DOCKER_CONFIG", dir)
	return dir
}

// authsConfig is a config.json with the test credentials under host.
func authsConfig(host string) string {
	enc := base64.StdEncoding.EncodeToString([]byte(regUser + ":" + regPass))
	return fmt.Sprintf(`{"auths":{%q:{"auth":%q}}}`, host, enc)
}
