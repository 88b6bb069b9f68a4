package composeload

import (
	"context"
	"os"
	"path/filepath"
	"testing"
)

// unsetEnv removes variables for one test (compose-go treats a variable set
// to "" as set) and restores them afterwards.
func unsetEnv(t *testing.T, keys ...string) {
	t.Helper()
	for _, k := range keys {
		t.Setenv(k, "") // registers the restore and forbids t.Parallel
		if err := os.Unsetenv(k); err != nil {
			t.Fatal(err)
		}
	}
}

// loadDir loads the project in dir with nothing from the environment.
func loadDir(t *testing.T, dir string) *Result {
	t.Helper()
	unsetEnv(t, "COMPOSE_PROFILES", "COMPOSE_FILE", "COMPOSE_PROJECT_NAME")
	r, err := Load(context.Background(), LoadOptions{WorkingDir: dir})
	if err != nil {
		t.Fatalf("load %s: %v", dir, err)
	}
	return r
}

// loadYAML loads one compose file written into a fresh folder named proj.
func loadYAML(t *testing.T, content string) *Result {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "proj")
	writeFile(t, filepath.Join(dir, "compose.yaml"), content)
	return loadDir(t, dir)
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

func absPath(t *testing.T, p string) string {
	t.Helper()
	abs, err := filepath.Abs(p)
	if err != nil {
		t.Fatal(err)
	}
	return abs
}

func findEnv(env []EnvVar, name string) EnvVar {
	for _, e := range env {
		if e.Name == name {
			return e
		}
	}
	return EnvVar{}
}
