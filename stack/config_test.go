package stack

import (
	"errors"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the golden files of testdata/config")

// TestMarshalYAMLMatchesComposeConfig compares devstack's canonical model
// with what `docker compose config` (v5.6.0) printed for the same fixture,
// the project folder written as <dir>. The goldens were produced by
// Compose; -update rewrites them from devstack's output, for review.
func TestMarshalYAMLMatchesComposeConfig(t *testing.T) {
	goldens, err := filepath.Glob("testdata/config/*.yaml")
	if err != nil || len(goldens) == 0 {
		t.Fatalf("no goldens: %v", err)
	}
	for _, golden := range goldens {
		name := strings.TrimSuffix(filepath.Base(golden), ".yaml")
		t.Run(name, func(t *testing.T) {
			p := loadFixture(t, filepath.Join("testdata/compose-hash", name), nil)
			out, err := p.MarshalYAML()
			if err != nil {
				t.Fatal(err)
			}
			got := strings.ReplaceAll(string(out), p.WorkingDir, "<dir>")
			if *update {
				if err := os.WriteFile(golden, []byte(got), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatal(err)
			}
			if got != string(want) {
				t.Errorf("config differs from docker compose config\ngot:\n%s\nwant:\n%s", got, want)
			}
		})
	}
}

func TestMarshalYAMLEscapesDollars(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, filepath.Join(dir, "compose.yaml"), "services:\n  app:\n    image: x\n    command: echo $$HOME\n")
	p := loadDir(t, dir)
	out, err := p.MarshalYAML()
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(out), "$$HOME") {
		t.Errorf("got\n%s\nwant $$HOME kept escaped", out)
	}
}

func TestConfigHashes(t *testing.T) {
	p := loadFixture(t, "testdata/compose-hash/healthcheck-deps", nil)
	all, err := p.configHashes("*")
	if err != nil {
		t.Fatal(err)
	}
	if len(all) != 3 {
		t.Errorf("got %d hashes, want 3", len(all))
	}
	some, err := p.configHashes("app")
	if err != nil || len(some) != 1 || some["app"] != all["app"] {
		t.Errorf("got %v, %v, want only app's hash", some, err)
	}
	if _, err := p.configHashes("nope"); !errors.Is(err, ErrUnknownService) {
		t.Errorf("got %v, want ErrUnknownService", err)
	}
}

func writeFile(t *testing.T, path, content string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}
