package stack

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// fuzzSeeds adds every compose file of testdata as a seed.
func fuzzSeeds(f *testing.F, patterns ...string) {
	for _, pattern := range patterns {
		files, _ := filepath.Glob(pattern)
		for _, file := range files {
			b, err := os.ReadFile(file)
			if err != nil {
				f.Fatal(err)
			}
			f.Add(b)
		}
	}
}

// FuzzLoad loads arbitrary bytes as a compose file: it must never panic,
// and a failure must be an error that reads cleanly.
func FuzzLoad(f *testing.F) {
	// The broken, envsource and unsupported files are composeload's test data.
	fuzzSeeds(f, "testdata/compose-hash/*/compose.yaml", "testdata/legacy/*/docker-compose.yml",
		"internal/composeload/testdata/broken/*.yaml", "internal/composeload/testdata/envsource/compose.yaml",
		"internal/composeload/testdata/unsupported/compose.yaml")
	f.Fuzz(func(t *testing.T, content []byte) {
		dir := t.TempDir()
		file := filepath.Join(dir, "compose.yaml")
		if err := os.WriteFile(file, content, 0o644); err != nil {
			t.Fatal(err)
		}
		p, err := Load(context.Background(), LoadOptions{Files: []string{file}, WorkingDir: dir, ProjectName: "fuzz"})
		if err != nil {
			checkCleanError(t, err)
			return
		}
		if p.Name != "fuzz" {
			t.Errorf("got project name %q, want fuzz", p.Name)
		}
		for _, s := range p.Services {
			if len(s.Hash) != 64 {
				t.Errorf("service %s: hash %q is not a sha256", s.Name, s.Hash)
			}
		}
		if _, err := p.MarshalYAML(); err != nil {
			t.Errorf("loaded project does not marshal: %v", err)
		}
	})
}

func checkCleanError(t *testing.T, err error) {
	t.Helper()
	msg := err.Error()
	if strings.TrimSpace(msg) == "" || strings.Contains(msg, "%!") || strings.Contains(msg, "panic") {
		t.Errorf("unclean error text %q", msg)
	}
	var le *LoadError
	if errors.As(err, &le) {
		if le.Line < 0 || (le.Line > 0 && le.File == "") {
			t.Errorf("error placed at %q line %d", le.File, le.Line)
		}
		if le.Message == "" {
			t.Errorf("error without a message: %q", msg)
		}
	}
}
