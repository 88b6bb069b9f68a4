package stack

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// watchStack is a running stack with a watch on it, for the watch tests.
type watchStack struct {
	*testStack
	p      *Project
	events chan WatchEvent
	cancel context.CancelFunc
	done   chan error
}

// startWatch writes the files, ups the stack and starts a watch, waiting
// until it reports that it watches.
func startWatch(t *testing.T, short, compose string, files map[string]string, opts WatchOptions) *watchStack {
	t.Helper()
	return startWatchVia(t, nil, short, compose, files, opts)
}

// startWatchVia is startWatch with the watch on another connection to the
// engine (nil: the test's), such as one through a counting proxy.
func startWatchVia(t *testing.T, via *Engine, short, compose string, files map[string]string, opts WatchOptions) *watchStack {
	t.Helper()
	s := newTestStack(t, short)
	requireFixture(t, s.e, "local/busybox")
	for name, content := range files {
		s.write(name, content)
	}
	p := s.load(compose)
	ctx := context.Background()
	if err := s.e.Up(ctx, p, UpOptions{}); err != nil {
		t.Fatalf("up: %v", err)
	}
	w := &watchStack{testStack: s, p: p, events: make(chan WatchEvent, 1000), done: make(chan error, 1)}
	wctx, cancel := context.WithCancel(ctx)
	w.cancel = cancel
	opts.OnEvent = func(ev WatchEvent) { w.events <- ev }
	if via == nil {
		via = s.e
	}
	go func() { w.done <- via.Watch(wctx, p, opts) }()
	t.Cleanup(w.stop)
	w.await(t, func(ev WatchEvent) bool { return ev.Action == WatchStarted })
	return w
}

func (w *watchStack) stop() {
	if w.cancel != nil {
		w.cancel()
		<-w.done
		w.cancel = nil
	}
}

// await waits for an event that ok accepts and returns it; events before
// it are dropped.
func (w *watchStack) await(t *testing.T, ok func(WatchEvent) bool) WatchEvent {
	t.Helper()
	timeout := time.After(30 * time.Second)
	for {
		select {
		case ev := <-w.events:
			if ok(ev) {
				return ev
			}
		case err := <-w.done:
			t.Fatalf("watch ended: %v", err)
		case <-timeout:
			t.Fatal("no matching watch event within 30 s")
		}
	}
}

// synced waits for the next sync event of a service.
func (w *watchStack) synced(t *testing.T, service string) WatchEvent {
	t.Helper()
	return w.await(t, func(ev WatchEvent) bool { return ev.Service == service && ev.Action == WatchSynced })
}

// sh runs a shell command in container n of a service and returns its
// output; it fails the test unless the exit code is want.
func (w *watchStack) sh(t *testing.T, service string, n int, want int, script string) string {
	t.Helper()
	id := w.containerID(t, service, n)
	var out bytes.Buffer
	code, err := w.e.Exec(context.Background(), id, ExecOptions{Cmd: []string{"sh", "-c", script}, Stdout: &out, Stderr: &out})
	if err != nil {
		t.Fatalf("exec in %s-%d: %v", service, n, err)
	}
	if code != want {
		t.Fatalf("%q in %s-%d: exit %d, want %d: %s", script, service, n, code, want, out.String())
	}
	return out.String()
}

// eventually waits until a shell test succeeds in the service's first
// container: a change written in several steps may come in several batches.
func (w *watchStack) eventually(t *testing.T, service, script string) {
	t.Helper()
	id := w.containerID(t, service, 1)
	deadline := time.Now().Add(60 * time.Second)
	for {
		var out bytes.Buffer
		code, err := w.e.Exec(context.Background(), id, ExecOptions{Cmd: []string{"sh", "-c", script}, Stdout: &out, Stderr: &out})
		if err == nil && code == 0 {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("%q in %s-1 still fails after 60 s (exit %d, %v): %s", script, service, code, err, out.String())
		}
		time.Sleep(50 * time.Millisecond)
	}
}

func (w *watchStack) containerID(t *testing.T, service string, n int) string {
	t.Helper()
	for _, c := range w.ps() {
		if c.Service == service && c.Number == n {
			return c.ID
		}
	}
	t.Fatalf("no container %s-%d", service, n)
	return ""
}

func (w *watchStack) path(name string) string { return filepath.Join(w.Dir, name) }

func writeWatched(t *testing.T, path, content string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}

const syncCompose = `services:
  web:
    image: local/busybox
    command: sleep 1d
    develop:
      watch:
        - path: ./src
          target: /app
          action: sync
          ignore: [ "**/*.log", "tmp/" ]
`

// TestWatchSyncCreateModifyDeleteRename checks each kind of change reaches
// the container: a new file, an edit, a deletion, a rename, a new nested
// folder with files, and that ignored files stay out.
func TestWatchSyncCreateModifyDeleteRename(t *testing.T) {
	w := startWatch(t, "wsync", syncCompose, map[string]string{"src/keep.txt": "keep"}, WatchOptions{})
	writeWatched(t, w.path("src/a.txt"), "one")
	ev := w.synced(t, "web")
	if ev.Err != nil || ev.Files != 1 || ev.Bytes != 3 {
		t.Fatalf("create: got %+v, want 1 file of 3 bytes", ev)
	}
	if got := w.sh(t, "web", 1, 0, "cat /app/a.txt"); got != "one" {
		t.Fatalf("create: /app/a.txt is %q, want one", got)
	}
	writeWatched(t, w.path("src/a.txt"), "two!")
	w.synced(t, "web")
	if got := w.sh(t, "web", 1, 0, "cat /app/a.txt"); got != "two!" {
		t.Fatalf("modify: /app/a.txt is %q, want two!", got)
	}
	if err := os.Rename(w.path("src/a.txt"), w.path("src/b.txt")); err != nil {
		t.Fatal(err)
	}
	ev = w.synced(t, "web")
	if ev.Files != 1 || ev.Deleted != 1 {
		t.Fatalf("rename: got %+v, want 1 file copied and 1 deleted", ev)
	}
	w.sh(t, "web", 1, 0, "test ! -e /app/a.txt && test \"$(cat /app/b.txt)\" = two!")
	if err := os.Remove(w.path("src/b.txt")); err != nil {
		t.Fatal(err)
	}
	w.synced(t, "web")
	w.sh(t, "web", 1, 0, "test ! -e /app/b.txt")

	writeWatched(t, w.path("src/x/y/z.txt"), "deep")
	writeWatched(t, w.path("src/x/y/debug.log"), "ignored")
	writeWatched(t, w.path("src/tmp/scratch"), "ignored")
	w.eventually(t, "web", `test "$(cat /app/x/y/z.txt)" = deep`)
	w.sh(t, "web", 1, 0, `test ! -e /app/x/y/debug.log && test ! -e /app/tmp`)
}

// TestWatchAtomicSave saves the way editors do (write a temporary file,
// rename it over the original; vim's backup file too) and checks only the
// real file is synced, with the new content.
func TestWatchAtomicSave(t *testing.T) {
	w := startWatch(t, "watomic", syncCompose, map[string]string{"src/main.go": "v1"}, WatchOptions{})
	for i, content := range []string{"v2", "v3"} {
		tmp := w.path(fmt.Sprintf("src/.main.go.tmp%d", i))
		writeWatched(t, tmp, content)
		writeWatched(t, w.path("src/main.go~"), "backup")
		if err := os.Rename(tmp, w.path("src/main.go")); err != nil {
			t.Fatal(err)
		}
		if err := os.Remove(w.path("src/main.go~")); err != nil {
			t.Fatal(err)
		}
		ev := w.synced(t, "web")
		if ev.Err != nil || ev.Files != 1 || ev.Deleted != 0 {
			t.Fatalf("save %d: got %+v, want exactly 1 file copied and nothing deleted", i, ev)
		}
		if got := w.sh(t, "web", 1, 0, "cat /app/main.go; ls -a /app | tr '\\n' ' '"); !strings.HasPrefix(got, content) || strings.Contains(got, "tmp") || strings.Contains(got, "~") {
			t.Fatalf("save %d: container has %q, want %s and no temporary files", i, got, content)
		}
	}
}
