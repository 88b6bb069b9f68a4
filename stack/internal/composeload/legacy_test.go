package composeload

import (
	"path/filepath"
	"strings"
	"testing"
)

// TestLegacyConvertedInMemory loads a v1 file: it is marked legacy, the
// legacy warning comes first on its first line, and the migrated file is
// ready to write under its current-format name.
func TestLegacyConvertedInMemory(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "proj")
	writeFile(t, filepath.Join(dir, "docker-compose.yml"), "app:\n  image: local/busybox\n  links: [db]\ndb:\n  image: local/busybox\n")
	r := loadDir(t, dir)
	if !r.Legacy {
		t.Error("got Legacy false, want true")
	}
	want := Warning{File: "docker-compose.yml", Line: 1, Message: legacyWarning}
	if len(r.Warnings) == 0 || r.Warnings[0] != want {
		t.Errorf("got warnings %v, want %v first", r.Warnings, want)
	}
	if len(r.Migrated) != 1 {
		t.Fatalf("got %d migrated files, want 1", len(r.Migrated))
	}
	m := r.Migrated[0]
	if m.Source != filepath.Join(dir, "docker-compose.yml") || m.Target != filepath.Join(dir, "compose.yaml") {
		t.Errorf("got migration %s -> %s, want docker-compose.yml -> compose.yaml in %s", m.Source, m.Target, dir)
	}
	header := "# Converted from docker-compose.yml (compose v1 format) by devstack config --migrate.\nservices:\n"
	if !strings.HasPrefix(string(m.Content), header) {
		t.Errorf("migrated content does not start with %q:\n%s", header, m.Content)
	}
}

func TestMigratedName(t *testing.T) {
	cases := map[string]string{
		"/p/docker-compose.yml":          "/p/compose.yaml",
		"/p/docker-compose.override.yml": "/p/compose.override.yaml",
		"/p/docker-compose.yaml":         "/p/compose.yaml",
		"/p/stack.yml":                   "/p/stack.yaml",
		"/p/compose.yaml":                "/p/compose.yaml",
	}
	for in, want := range cases {
		if got := migratedName(in); got != want {
			t.Errorf("migratedName(%s): got %s, want %s", in, got, want)
		}
	}
}
