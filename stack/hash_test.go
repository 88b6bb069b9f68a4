package stack

import (
	"bufio"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestServiceHashMatchesCompose loads every fixture of
// testdata/compose-hash (copied from shared/testdata, produced by Docker
// Compose v5.6.0) and compares devstack's hashes with Compose's.
func TestServiceHashMatchesCompose(t *testing.T) {
	dirs, err := filepath.Glob(os.Getenv("HASHDIR") + "/*/expected-service-hashes*.txt")
	if err != nil || len(dirs) == 0 {
		t.Fatalf("no fixtures found: %v", err)
	}
	for _, want := range dirs {
		dir := filepath.Dir(want)
		var profiles []string
		if strings.HasSuffix(want, "-profile-debug.txt") {
			profiles = []string{"debug"}
		}
		t.Run(filepath.Base(dir)+strings.Join(profiles, ""), func(t *testing.T) {
			t.Setenv("COMPOSE_PROFILES", "")
			t.Setenv("COMPOSE_FILE", "")
			t.Setenv("COMPOSE_PROJECT_NAME", "")
			p, err := Load(context.Background(), LoadOptions{WorkingDir: dir, Files: []string{filepath.Join(dir, "compose.yaml")}, Profiles: profiles})
			if err != nil {
				t.Fatalf("load: %v", err)
			}
			expected := readPairs(t, want)
			if len(p.Services) != len(expected) {
				t.Errorf("got %d services, want %d", len(p.Services), len(expected))
			}
			for _, s := range p.Services {
				if s.Hash != expected[s.Name] {
					t.Errorf("service %s: got hash %s, want %s", s.Name, s.Hash, expected[s.Name])
				}
			}
		})
	}
}

func readPairs(t *testing.T, path string) map[string]string {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	out := map[string]string{}
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		k, v, ok := strings.Cut(sc.Text(), " ")
		if ok {
			out[k] = v
		}
	}
	return out
}
