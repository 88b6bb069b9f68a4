package templates

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/moby/patternmatcher"
)

// TestIgnored checks what pack relies on from the .dockerignore matcher: a
// folder's pattern covers what is inside, "!" takes a file back, and the
// always-ignored work files match wherever they are.
func TestIgnored(t *testing.T) {
	cases := []struct {
		patterns []string
		path     string
		want     bool
	}{
		{[]string{"node_modules"}, "node_modules/x/y.js", true},
		{[]string{"*.log"}, "a/debug.log", false}, // "*" stops at "/"
		{[]string{"**/*.log"}, "a/debug.log", true},
		{[]string{"big", "!big/keep.txt"}, "big/keep.txt", false},
		{[]string{"big", "!big/keep.txt"}, "big/other", true},
		{[]string{".env*", "!.env.example"}, ".env.local", true},
		{[]string{".env*", "!.env.example"}, ".env.example", false},
		{alwaysIgnored, ".git/config", true},
		{alwaysIgnored, ".devstack-pack-123/x", true},
		{alwaysIgnored, "src/.gitkeep", false},
	}
	for _, c := range cases {
		pm, err := patternmatcher.New(c.patterns)
		if err != nil {
			t.Fatalf("%v: %v", c.patterns, err)
		}
		if got := ignored(pm, c.path); got != c.want {
			t.Errorf("%v on %q: got %v, want %v", c.patterns, c.path, got, c.want)
		}
	}
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, ".dockerignore"), []byte("# keep\n!\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := folderIgnores(dir); err == nil {
		t.Error(`a lone "!" in .dockerignore: no error`)
	}
}
