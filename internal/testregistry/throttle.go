package testregistry

import (
	"net/http"
	"strings"
	"sync/atomic"
	"time"
)

// Throttle slows the engine's blob downloads to a trickle (pieces of
// Piece bytes, each followed by Pause) while it is on, and counts the blob
// bytes it served, so a test can act at a point of a pull measured in
// bytes rather than in time, which a loaded machine stretches.
type Throttle struct {
	Piece int
	Pause time.Duration

	inner  http.Handler
	off    atomic.Bool
	served atomic.Int64
}

// NewThrottle returns a throttle that is on, trickling 64 kB every pause.
func NewThrottle(pause time.Duration) *Throttle {
	return &Throttle{Piece: 64 << 10, Pause: pause}
}

// Wrap is the throttle in front of inner, for Start.
func (th *Throttle) Wrap(inner http.Handler) http.Handler {
	th.inner = inner
	return th
}

// SetOn turns the throttle on or off; transfers under way keep their pace.
func (th *Throttle) SetOn(on bool) { th.off.Store(!on) }

// Served is the number of blob bytes sent to the engine so far.
func (th *Throttle) Served() int64 { return th.served.Load() }

// ServeHTTP passes everything through, trickling the engine's blob GETs.
func (th *Throttle) ServeHTTP(w http.ResponseWriter, req *http.Request) {
	if req.Method != http.MethodGet || !strings.Contains(req.URL.Path, "/blobs/") || IsAdmin(req) {
		th.inner.ServeHTTP(w, req)
		return
	}
	th.inner.ServeHTTP(&trickle{ResponseWriter: w, th: th, slow: !th.off.Load()}, req)
}

// trickle writes a blob in pieces, flushing each so the engine sees the
// bytes as they go.
type trickle struct {
	http.ResponseWriter
	th   *Throttle
	slow bool
}

func (t *trickle) Write(p []byte) (int, error) {
	// Bytes are counted before they are written, less what a write did not
	// take after: counted after, a reader could hold the whole blob before
	// the count says so.
	if !t.slow {
		t.th.served.Add(int64(len(p)))
		n, err := t.ResponseWriter.Write(p)
		t.th.served.Add(int64(n - len(p)))
		return n, err
	}
	n := 0
	for len(p) > 0 {
		k := min(len(p), t.th.Piece)
		t.th.served.Add(int64(k))
		m, err := t.ResponseWriter.Write(p[:k])
		n += m
		t.th.served.Add(int64(m - k))
		if err != nil {
			return n, err
		}
		t.ResponseWriter.(http.Flusher).Flush()
		time.Sleep(t.th.Pause)
		p = p[k:]
	}
	return n, nil
}
