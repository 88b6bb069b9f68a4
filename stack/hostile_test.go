package stack

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"
)

// hostileFile is one compose project built to hurt a loader.
type hostileFile struct {
	name    string
	compose func() string
	env     func() string // .env content, when the case needs one
	// wantErr is a part of the error the user must read; "" means the file
	// may load.
	wantErr string
}

func billionLaughs() string {
	var b strings.Builder
	b.WriteString("x-a0: &a0 [\"lol\"]\n")
	for i := 1; i <= 9; i++ {
		fmt.Fprintf(&b, "x-a%d: &a%d [", i, i)
		for j := range 10 {
			if j > 0 {
				b.WriteString(",")
			}
			fmt.Fprintf(&b, "*a%d", i-1)
		}
		b.WriteString("]\n")
	}
	b.WriteString("services:\n  app:\n    image: local/busybox\n    labels:\n      bomb: *a9\n")
	return b.String()
}

func deepNesting() string {
	return "services:\n  app:\n    image: local/busybox\n    command: " +
		strings.Repeat("[", 200000) + strings.Repeat("]", 200000) + "\n"
}

func manyServices(n int) string {
	var b strings.Builder
	b.WriteString("services:\n")
	for i := range n {
		fmt.Fprintf(&b, "  s%05d:\n    image: local/busybox\n    environment:\n      V: %q\n", i, strings.Repeat("x", 1000))
	}
	return b.String()
}

var hostileFiles = []hostileFile{
	{name: "billion laughs", compose: billionLaughs, wantErr: "anchors"},
	{name: "deep nesting", compose: deepNesting, wantErr: "compose.yaml:4"},
	{name: "2000 services, 2 MB", compose: func() string { return manyServices(2000) }},
	{name: "extends cycle", compose: func() string {
		return "services:\n  a:\n    image: local/busybox\n    extends: b\n  b:\n    image: local/busybox\n    extends: a\n"
	}, wantErr: "Circular reference"},
	{name: "interpolation nested 10000 deep", compose: func() string {
		return "services:\n  app:\n    image: local/busybox\n    environment:\n      X: " +
			strings.Repeat("${A:-", 10000) + "end" + strings.Repeat("}", 10000) + "\n"
	}, wantErr: "compose.yaml:5: variables nested more than 64 deep"},
	{name: "interpolation nested 5 deep loads", compose: func() string {
		return "services:\n  app:\n    image: local/busybox\n    environment:\n      X: " +
			strings.Repeat("${A:-", 5) + "end$${literal}" + strings.Repeat("}", 5) + "\n"
	}},
	{name: "variable refers to itself", compose: func() string {
		return "services:\n  app:\n    image: ${IMG}\n"
	}, env: func() string { return "IMG=${IMG}${IMG}\n" }, wantErr: "neither an image nor a build"},
	{name: "odd unicode service name", compose: func() string {
		return "services:\n  \"wéb\u202e☃\x00\":\n    image: local/busybox\n"
	}, wantErr: "control characters"},
	{name: "unicode service name", compose: func() string {
		return "services:\n  \"wéb☃\":\n    image: local/busybox\n"
	}, wantErr: "wéb☃"},
	{name: "env file with NUL and a 16 MB value", compose: func() string {
		return "services:\n  app:\n    image: local/busybox\n    env_file: [big.env]\n"
	}, env: nil},
}

// TestHostileComposeFiles loads compose files built to hurt a loader (YAML
// bombs, deep nesting, huge files, extends cycles, interpolation loops,
// odd unicode, NULs and enormous env values): each ends with a project or
// a clean error naming the file, within a bounded time and memory, and
// nothing panics. Loading never touches the engine, so nothing there can
// change.
func TestHostileComposeFiles(t *testing.T) {
	for _, hc := range hostileFiles {
		t.Run(hc.name, func(t *testing.T) {
			dir := t.TempDir()
			write(t, filepath.Join(dir, "compose.yaml"), hc.compose())
			if hc.env != nil {
				write(t, filepath.Join(dir, ".env"), hc.env())
			}
			if strings.Contains(hc.name, "NUL") {
				write(t, filepath.Join(dir, "big.env"), "A=a\x00b\nB="+strings.Repeat("v", 16<<20)+"\n")
			}
			took, grew, err := loadBounded(t, dir)
			t.Logf("%s: %v, %d MiB allocated, err: %.200v", hc.name, took.Round(time.Millisecond), grew>>20, err)
			if err != nil {
				checkCleanError(t, err)
				if hc.wantErr != "" && !strings.Contains(err.Error(), hc.wantErr) {
					t.Errorf("error does not name %q: %v", hc.wantErr, err)
				}
			} else if hc.wantErr != "" {
				t.Errorf("loaded, want an error naming %q", hc.wantErr)
			}
			if grew > 2<<30 {
				t.Errorf("loading allocated %d MiB in all, want under 2 GiB", grew>>20)
			}
		})
	}
}

// loadBounded loads the project in dir, failing the test past 60 s: the
// slowest case (a 16 MB env value) takes about 2 s alone but nearly 20 s
// under -race on a loaded 2-core machine; a loader that hangs or blows up
// exponentially is far past either.
func loadBounded(t *testing.T, dir string) (time.Duration, uint64, error) {
	t.Helper()
	var before runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	start := time.Now()
	done := make(chan error, 1)
	go func() {
		_, err := Load(context.Background(), LoadOptions{WorkingDir: dir, Files: []string{filepath.Join(dir, "compose.yaml")}, ProjectName: "hostile"})
		done <- err
	}()
	select {
	case err := <-done:
		var after runtime.MemStats
		runtime.ReadMemStats(&after)
		return time.Since(start), after.TotalAlloc - before.TotalAlloc, err
	case <-time.After(60 * time.Second):
		t.Fatal("loading did not end within 60 s")
		return 0, 0, nil
	}
}

func write(t *testing.T, path, content string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}
