//go:build unix

package stack

import (
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"syscall"
	"testing"
)

// TestArchiveBuildContextHonoursDockerignore archives a context with a
// symlink and a fifo in it, reached through a symlink. It is apart from
// buildcontext_test.go because Windows has no fifos.
func TestArchiveBuildContextHonoursDockerignore(t *testing.T) {
	dir := writeTree(t, contextFiles)
	if err := os.Symlink("app.go", filepath.Join(dir, "link.go")); err != nil {
		t.Fatal(err)
	}
	if err := syscall.Mkfifo(filepath.Join(dir, "fifo"), 0o644); err != nil {
		t.Fatal(err)
	}
	// Reach the context through a symlink: the walk must still enter it.
	link := filepath.Join(t.TempDir(), "ctx")
	if err := os.Symlink(dir, link); err != nil {
		t.Fatal(err)
	}
	a, err := archiveBuildContext(link, dockerfileSource{path: filepath.Join(link, "Dockerfile")})
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	got := tarEntries(t, a)
	names := slices.Sorted(func(yield func(string) bool) {
		for k := range got {
			if !yield(k) {
				return
			}
		}
	})
	// The Dockerfile and .dockerignore always travel (the engine reads
	// them); the fifo cannot be archived; /logs/* excludes what is in logs/
	// but not the folder, and keep.log comes back.
	want := []string{".dockerignore", "Dockerfile", "app.go", "docs/", "docs/README.md", "docs/deep/", "link.go", "logs/", "logs/keep.log"}
	if !reflect.DeepEqual(names, want) {
		t.Errorf("archived:\n got %q\nwant %q", names, want)
	}
	if a.Dockerfile != "Dockerfile" {
		t.Errorf("Dockerfile name: got %q", a.Dockerfile)
	}
	if got[".dockerignore"] != contextFiles[".dockerignore"] {
		t.Errorf(".dockerignore altered: %q", got[".dockerignore"])
	}
}
