package testregistry

import (
	"io"
	"log"
	"net"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/google/go-containerregistry/pkg/name"
	"github.com/google/go-containerregistry/pkg/registry"
	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/mutate"
	"github.com/google/go-containerregistry/pkg/v1/remote"
)

// adminHeader marks the test's own requests (pushes, reads of what was
// pushed), so wrappers that require auth, cut or slow transfers let them
// through and count only the engine's.
const adminHeader = "X-Devstack-Test-Admin"

// Registry is one in-process registry.
type Registry struct {
	// Host is host:port, the prefix of every reference in the registry.
	Host string
}

// Start serves a registry on a free loopback port until the test ends.
// wrap, when not nil, is given the registry's handler and returns the one
// that serves: auth flows, cut connections, throttles.
func Start(t testing.TB, wrap func(inner http.Handler) http.Handler) *Registry {
	t.Helper()
	var h http.Handler = registry.New(registry.Logger(log.New(io.Discard, "", 0)))
	if wrap != nil {
		h = wrap(h)
	}
	// 127.0.0.1 rather than httptest's default: dockerd allows plain HTTP
	// only for registries it knows to be on loopback.
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv := &httptest.Server{Listener: l, Config: &http.Server{Handler: h}}
	srv.Start()
	t.Cleanup(srv.Close)
	return &Registry{Host: l.Addr().String()}
}

// IsAdmin says whether a request is the test's own: one sent through
// AdminTransport.
func IsAdmin(req *http.Request) bool { return req.Header.Get(adminHeader) != "" }

// AdminTransport marks the test's own requests (see IsAdmin).
type AdminTransport struct{}

// RoundTrip sends a copy of req marked as the test's own.
func (AdminTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	req = req.Clone(req.Context())
	req.Header.Set(adminHeader, "1")
	return http.DefaultTransport.RoundTrip(req)
}

// Push writes img to the registry as repoTag ("team/app:v1") and returns
// the reference the engine pulls.
func (r *Registry) Push(t testing.TB, repoTag string, img v1.Image) string {
	t.Helper()
	ref := r.Host + "/" + repoTag
	tag, err := name.NewTag(ref, name.Insecure)
	if err != nil {
		t.Fatal(err)
	}
	if err := remote.Write(tag, img, remote.WithTransport(AdminTransport{})); err != nil {
		t.Fatalf("push %s to the test registry: %v", ref, err)
	}
	return ref
}

// WithRandomLayers is base plus one random (incompressible) layer of each
// size, so every image pushed is new to the engine and takes the time its
// bytes take.
func WithRandomLayers(t testing.TB, base v1.Image, sizes ...int64) v1.Image {
	t.Helper()
	img := base
	for _, n := range sizes {
		l, err := randomLayer(n)
		if err != nil {
			t.Fatal(err)
		}
		if img, err = mutate.AppendLayers(img, l); err != nil {
			t.Fatal(err)
		}
	}
	return img
}
