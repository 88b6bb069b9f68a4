package stack

import (
	"context"
	"net"
	"net/http"
	"net/http/httputil"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
)

// countingProxy is a unix socket in front of the engine that counts the
// API requests going through it, by method and path (IDs folded).
type countingProxy struct {
	path string
	mu   sync.Mutex
	hits map[string]int
}

var apiIDs = regexp.MustCompile(`/[0-9a-f]{64}`)
var apiVersion = regexp.MustCompile(`^/v[0-9.]+`)

// newCountingProxy serves on a temporary socket until the test ends.
func newCountingProxy(t testing.TB, target string) *countingProxy {
	t.Helper()
	cp := &countingProxy{path: filepath.Join(t.TempDir(), "counting.sock"), hits: map[string]int{}}
	ln, err := net.Listen("unix", cp.path)
	if err != nil {
		t.Fatal(err)
	}
	rp := &httputil.ReverseProxy{
		Rewrite: func(r *httputil.ProxyRequest) {
			r.Out.URL.Scheme, r.Out.URL.Host = "http", "docker"
		},
		Transport: &http.Transport{DialContext: func(ctx context.Context, _, _ string) (net.Conn, error) {
			return (&net.Dialer{}).DialContext(ctx, "unix", target)
		}},
	}
	srv := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		p := apiIDs.ReplaceAllString(apiVersion.ReplaceAllString(r.URL.Path, ""), "/ID")
		cp.mu.Lock()
		cp.hits[r.Method+" "+p]++
		cp.mu.Unlock()
		rp.ServeHTTP(w, r)
	})}
	go srv.Serve(ln)
	t.Cleanup(func() { srv.Close() })
	return cp
}

// take returns the counts so far and starts counting afresh.
func (cp *countingProxy) take() map[string]int {
	cp.mu.Lock()
	defer cp.mu.Unlock()
	out := cp.hits
	cp.hits = map[string]int{}
	return out
}

func total(hits map[string]int) int {
	n := 0
	for _, v := range hits {
		n += v
	}
	return n
}

// proxiedEngine connects to the engine through a counting proxy.
func proxiedEngine(t testing.TB, e *Engine) (*Engine, *countingProxy) {
	t.Helper()
	cp := newCountingProxy(t, strings.TrimPrefix(e.Host, "unix://"))
	pe, err := Connect(context.Background(), ConnectOptions{Host: "unix://" + cp.path})
	if err != nil {
		t.Fatalf("connect through the counting proxy: %v", err)
	}
	t.Cleanup(func() { pe.Close() })
	return pe, cp
}
