//go:build unix

package templates

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestPackHostileTree packs a folder built to trip a walker: symlinks
// that loop, a link to its own folder and one to the parent, a fifo, and
// a .dockerignore of 2,000 backtracking patterns. Pack finishes in bounded
// time, leaves the loops and the fifo out with a reason, and a broken
// pattern is named with its file and line.
func TestPackHostileTree(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "hostile")
	writeFiles(t, dir, map[string]string{"compose.yaml": "services:\n  app:\n    image: local/busybox\n"})
	for link, target := range map[string]string{"a": "b", "b": "a", "sub/self": ".", "sub/up": ".."} {
		if err := os.MkdirAll(filepath.Dir(filepath.Join(dir, link)), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.Symlink(target, filepath.Join(dir, link)); err != nil {
			t.Fatal(err)
		}
	}
	if err := syscall.Mkfifo(filepath.Join(dir, "pipe"), 0o644); err != nil {
		t.Fatal(err)
	}
	var ignore strings.Builder
	ignore.WriteString(strings.Repeat("**/", 30) + "*x\n")
	for i := range 2000 {
		fmt.Fprintf(&ignore, "**/a*b*c*d*e*f*g*h*%d\n", i)
	}
	writeFiles(t, dir, map[string]string{".dockerignore": ignore.String()})

	start := time.Now()
	rep, err := Pack(context.Background(), dir, PackOptions{Output: filepath.Join(t.TempDir(), "out.tgz")})
	took := time.Since(start)
	if err != nil {
		t.Fatalf("pack: %v", err)
	}
	t.Logf("packed a hostile tree in %v", took.Round(time.Millisecond))
	if took > 20*time.Second {
		t.Errorf("pack took %v, want it bounded (under 20 s)", took)
	}
	left := map[string]string{}
	for _, l := range rep.LeftOut {
		left[l.Path] = l.Reason
	}
	for path, reason := range map[string]string{"a": "another symlink", "b": "another symlink", "pipe": "not a regular file"} {
		if !strings.Contains(left[path], reason) {
			t.Errorf("left out %s: got %q, want a reason saying %q", path, left[path], reason)
		}
	}

	writeFiles(t, dir, map[string]string{".dockerignore": "node_modules\n!\n"})
	_, err = Pack(context.Background(), dir, PackOptions{Output: filepath.Join(t.TempDir(), "out.tgz")})
	if err == nil || !strings.Contains(err.Error(), ".dockerignore:2") || !strings.Contains(err.Error(), `"!"`) {
		t.Errorf("a broken pattern: got %v, want an error naming .dockerignore:2 and the pattern", err)
	}
}
