package templates

import (
	"bytes"

	tea "charm.land/bubbletea/v2"
	"io"
	"strings"
	"testing"
	"time"
)

// slowReader hands the form one key at a time, as a person types.
type slowReader struct{ keys []string }

func (s *slowReader) Read(p []byte) (int, error) {
	if len(s.keys) == 0 {
		time.Sleep(50 * time.Millisecond)
		return 0, io.EOF
	}
	time.Sleep(20 * time.Millisecond)
	n := copy(p, s.keys[0])
	s.keys = s.keys[1:]
	return n, nil
}

// TestAskForm drives the Bubble Tea form with keystrokes: ctrl+u clears a
// prefilled default, enter moves on, the last enter submits.
func TestAskForm(t *testing.T) {
	opts := []Option{
		{Key: "HTTP_PORT", Default: "8080", Help: "Host port"},
		{Key: "DB_PASSWORD", Default: "dev", Secret: true},
		{Key: "DB_NAME", Default: "app"},
	}
	in := &slowReader{keys: []string{"\x15", "9", "0", "9", "0", "\r", "\r", "\x15", "s", "h", "o", "p", "\r"}}
	var out bytes.Buffer
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
