package stack

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// syncBuffer is a bytes.Buffer the output copy and the test can share.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

func sleeper(t *testing.T, p *streamProject, image string) string {
	return p.run(t, ctrSpec{Image: image, Cmd: []string{"sleep", "300"}})
}

func TestExecExitCodeAndStreams(t *testing.T) {
	p := newStreamProject(t)
	id := sleeper(t, p, "local/busybox")
	ctx := context.Background()

	code, err := p.e.Exec(ctx, id, ExecOptions{Cmd: []string{"sh", "-c", "exit 7"}})
	if err != nil || code != 7 {
		t.Errorf("exit 7: got code %d, err %v", code, err)
	}

	var out, errOut bytes.Buffer
	code, err = p.e.Exec(ctx, id, ExecOptions{
		Cmd: []string{"sh", "-c", "echo out; echo err >&2; pwd; id -u; echo $GREETING"}, User: "1000", WorkDir: "/tmp",
		Env: []string{"GREETING=hi"}, Stdout: &out, Stderr: &errOut,
	})
	if err != nil || code != 0 {
		t.Fatalf("got code %d, err %v", code, err)
	}
	if out.String() != "out\n/tmp\n1000\nhi\n" || errOut.String() != "err\n" {
		t.Errorf("got stdout %q stderr %q, want out,/tmp,1000,hi and err apart", out.String(), errOut.String())
	}
}

func TestExecStdin(t *testing.T) {
	p := newStreamProject(t)
	id := sleeper(t, p, "local/busybox")
	var out bytes.Buffer
	// cat ends only if the end of the input reaches it.
	code, err := p.e.Exec(context.Background(), id, ExecOptions{
		Cmd: []string{"cat"}, Stdin: strings.NewReader("line one\nline two\n"), Stdout: &out,
	})
	if err != nil || code != 0 {
		t.Fatalf("got code %d, err %v", code, err)
	}
	if out.String() != "line one\nline two\n" {
		t.Errorf("got %q, want the input back", out.String())
	}
}

func TestExecTTYSizeAndResize(t *testing.T) {
	p := newStreamProject(t)
	id := sleeper(t, p, "local/busybox")
	stdin, feed := io.Pipe()
	defer feed.Close()
	resize := make(chan TermSize, 1)
	var out syncBuffer
	result := make(chan error, 1)
	go func() {
		code, err := p.e.Exec(context.Background(), id, ExecOptions{
			Cmd: []string{"sh", "-c", `test -t 0 && echo is-a-tty; while read x; do [ "$x" = q ] && exit 0; stty size; done`},
			TTY: true, Size: TermSize{Rows: 33, Cols: 101}, Stdin: stdin, Stdout: &out, Resize: resize,
		})
		if err == nil && code != 0 {
			err = fmt.Errorf("exit code %d", code)
		}
		result <- err
	}()
	// Before API 1.42 the size is set just after the process starts, so
	// its first stty may still see none; each newline asks again.
	poke := func() { feed.Write([]byte("\n")) }
	waitOutput(t, &out, "33 101", poke)
	if !strings.Contains(out.String(), "is-a-tty\r\n") {
		t.Errorf("TTY output %q: want is-a-tty with the terminal's \\r\\n", out.String())
	}
	resize <- TermSize{Rows: 40, Cols: 120}
	waitOutput(t, &out, "40 120", poke)
	feed.Write([]byte("q\n"))
	select {
	case err := <-result:
		if err != nil {
			t.Fatal(err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("exec did not end after the command exited")
	}
}

// waitOutput waits until out contains want, calling poke between looks.
func waitOutput(t *testing.T, out *syncBuffer, want string, poke func()) {
	t.Helper()
	for deadline := time.Now().Add(10 * time.Second); !strings.Contains(out.String(), want); {
		if time.Now().After(deadline) {
			t.Fatalf("output %q never contained %q", out.String(), want)
		}
		if poke != nil {
			poke()
		}
		time.Sleep(100 * time.Millisecond)
	}
}

func TestExecDefaultShell(t *testing.T) {
	p := newStreamProject(t)
	for image, want := range map[string]string{"local/busybox-bash": "shell=bash\n", "local/busybox": "shell=\n"} {
		id := sleeper(t, p, image)
		var out bytes.Buffer
		code, err := p.e.Exec(context.Background(), id, ExecOptions{
			Stdin: strings.NewReader("echo shell=${BASH_VERSION:+bash}\nexit 3\n"), Stdout: &out,
		})
		if err != nil || code != 3 || out.String() != want {
			t.Errorf("%s: got %q code %d err %v, want %q code 3", image, out.String(), code, err, want)
		}
	}
}

func TestExecMissingBinary(t *testing.T) {
	p := newStreamProject(t)
	id := sleeper(t, p, "local/busybox")
	var out bytes.Buffer
	code, err := p.e.Exec(context.Background(), id, ExecOptions{Cmd: []string{"no-such-binary"}, Stdout: &out, Stderr: &out})
	if err != nil {
		t.Fatalf("a missing binary is an exit code, not an error: %v", err)
	}
	if code != 126 && code != 127 {
		t.Errorf("got exit code %d (output %q), want 126 or 127", code, out.String())
	}
	if _, err := p.e.Exec(context.Background(), "no-such-container-"+p.name, ExecOptions{Cmd: []string{"true"}}); err == nil {
		t.Error("exec in a missing container: no error")
	}
}

// cancelReader is a stdin that never delivers, like a terminal nobody
// types in, and records being cancelled.
type cancelReader struct {
	r         *io.PipeReader
	w         *io.PipeWriter
	cancelled atomic.Bool
}

func newCancelReader() *cancelReader {
	r, w := io.Pipe()
	return &cancelReader{r: r, w: w}
}

func (c *cancelReader) Read(p []byte) (int, error) { return c.r.Read(p) }

func (c *cancelReader) Cancel() bool {
	c.cancelled.Store(true)
	c.w.CloseWithError(errors.New("cancelled"))
	return true
}

func TestExecEndsWithCommandAndCancelsStdin(t *testing.T) {
	p := newStreamProject(t)
	id := sleeper(t, p, "local/busybox")
	stdin := newCancelReader()
	start := time.Now()
	code, err := p.e.Exec(context.Background(), id, ExecOptions{Cmd: []string{"true"}, Stdin: stdin, TTY: true})
	if err != nil || code != 0 {
		t.Fatalf("got code %d, err %v", code, err)
	}
	if d := time.Since(start); d > 10*time.Second {
		t.Errorf("exec took %v although the command ends at once", d)
	}
	if !stdin.cancelled.Load() {
		t.Error("stdin was not cancelled when the command ended")
	}

	ctx, cancel := context.WithTimeout(context.Background(), 500*time.Millisecond)
	defer cancel()
	_, err = p.e.Exec(ctx, id, ExecOptions{Cmd: []string{"sleep", "100"}})
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("cancelled exec: got %v, want the context's error", err)
	}
}
