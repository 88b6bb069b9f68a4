package templates

import (
	"bytes"

	tea "charm.land/bubbletea/v2"
	"io"
	"strings"
	"sync"
	"testing"
	"time"
)

// slowReader hands the form one key at a time, as a person types: each
// key once the screen has been quiet for a while, so the form has taken
// the previous one (a field change is a command whose answer arrives after
// the key; on a loaded machine a fixed pause is not always enough).
type slowReader struct {
	keys []string
	out  *quietWriter
}

func (s *slowReader) Read(p []byte) (int, error) {
	if len(s.keys) == 0 {
		time.Sleep(50 * time.Millisecond)
		return 0, io.EOF
	}
	s.out.waitQuiet(150*time.Millisecond, 2*time.Second)
	n := copy(p, s.keys[0])
	s.keys = s.keys[1:]
	return n, nil
}

// quietWriter is the form's screen, noting when it was last drawn.
type quietWriter struct {
	mu   sync.Mutex
	buf  bytes.Buffer
	last time.Time
	// asked is when waitQuiet last returned, i.e. a key was handed over.
	asked time.Time
}

func (w *quietWriter) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.last = time.Now()
	return w.buf.Write(p)
}

func (w *quietWriter) String() string {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.buf.String()
}

// waitQuiet returns once the form has drawn something since the previous
// call (the effect of the key handed over then; a key sent before the
// first frame is lost) and then nothing more for quiet, or after limit.
func (w *quietWriter) waitQuiet(quiet, limit time.Duration) {
	deadline := time.Now().Add(limit)
	w.mu.Lock()
	since := w.asked
	w.mu.Unlock()
	defer func() {
		w.mu.Lock()
		w.asked = time.Now()
		w.mu.Unlock()
	}()
	for time.Now().Before(deadline) {
		w.mu.Lock()
		drawn, idle := w.last.After(since), time.Since(w.last)
		w.mu.Unlock()
		if drawn && idle >= quiet {
			return
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// TestAskForm drives the Bubble Tea form with keystrokes: ctrl+u clears a
// prefilled default, enter moves on, the last enter submits.
func TestAskForm(t *testing.T) {
	opts := []Option{
		{Key: "HTTP_PORT", Default: "8080", Help: "Host port"},
		{Key: "DB_PASSWORD", Default: "dev", Secret: true},
		{Key: "DB_NAME", Default: "app"},
	}
	var out quietWriter
	in := &slowReader{keys: []string{"\x15", "9", "0", "9", "0", "\r", "\r", "\x15", "s", "h", "o", "p", "\r"}, out: &out}
	done := make(chan struct{})
	var got map[string]string
	var err error
	go func() {
		defer close(done)
		got, err = ask(opts, nil, in, &out, tea.WithWindowSize(80, 24))
	}()
	select {
	case <-done:
	case <-time.After(20 * time.Second):
		t.Fatal("the form did not finish")
	}
	if err != nil {
		t.Fatalf("ask: %v", err)
	}
	want := map[string]string{"HTTP_PORT": "9090", "DB_PASSWORD": "dev", "DB_NAME": "shop"}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("%s: got %q, want %q", k, got[k], v)
		}
	}
	if strings.Contains(out.String(), "dev") {
		t.Error("the secret's value was drawn on the screen")
	}
	if !strings.Contains(out.String(), "Host port") {
		t.Errorf("the option's help was not drawn: %q", out.String())
	}
}
