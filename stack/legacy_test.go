package stack

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestLoadLegacySeed loads the seed's v1 stack (app built from
// ./build/app linked to a mariadb db) and checks the converted project.
func TestLoadLegacySeed(t *testing.T) {
	dir := absPath(t, "testdata/legacy/seed002")
	p, err := Load(context.Background(), LoadOptions{WorkingDir: dir})
	if err != nil {
		t.Fatalf("load: %v", err)
	}
	if !p.Legacy {
		t.Error("got Legacy false, want true")
	}
	if len(p.Warnings) == 0 || !strings.HasPrefix(p.Warnings[0].Message, "legacy compose v1 format") || p.Warnings[0].File != "docker-compose.yml" {
		t.Errorf("got warnings %v, want the legacy warning on docker-compose.yml first", p.Warnings)
	}
	if got := strings.Join(p.ServiceNames(), ","); got != "app,db" {
		t.Fatalf("got services %s, want app,db", got)
	}
	app, _ := p.Service("app")
	if len(app.DependsOn) != 1 || app.DependsOn[0].Service != "db" || app.DependsOn[0].Condition != "service_started" {
		t.Errorf("app depends_on: got %+v, want db started (from links)", app.DependsOn)
	}
	if app.Build == nil || app.Build.Context != filepath.Join(dir, "build/app") {
		t.Errorf("app build: got %+v, want context %s", app.Build, filepath.Join(dir, "build/app"))
	}
	wantMounts := []Mount{
		{Kind: MountBind, Source: filepath.Join(dir, "files/drupal"), Target: "/var/www"},
		{Kind: MountBind, Source: "/etc/localtime", Target: "/etc/localtime", ReadOnly: true},
	}
	for i, m := range wantMounts {
		if i >= len(app.Mounts) || app.Mounts[i] != m {
			t.Errorf("app mount %d: got %+v, want %+v", i, app.Mounts, m)
		}
	}
	if len(app.Ports) != 1 || app.Ports[0].String() != "80->80/tcp" {
		t.Errorf("app ports: got %v, want 80->80/tcp", app.Ports)
	}
	if app.Limits.MemoryBytes != 1024<<20 {
		t.Errorf("app mem_limit: got %d, want %d", app.Limits.MemoryBytes, 1024<<20)
	}
	db, _ := p.Service("db")
	if db.Limits.MemoryBytes != 748<<20 {
		t.Errorf("db mem_limit: got %d, want %d", db.Limits.MemoryBytes, 748<<20)
	}
	pw := findEnv(db.Env, "MYSQL_ROOT_PASSWORD")
	if pw.Value != "root" || pw.Source != EnvFromEnvFile || pw.File != "mysql.env" || !pw.Secret {
		t.Errorf("db MYSQL_ROOT_PASSWORD: got %+v, want root from env_file mysql.env, secret", pw)
	}
}

// TestMigrateRoundTrip writes the migrated file next to a copy of the seed
// and loads it again: the current-format project must hash the same, and
// the file must keep the relative paths as written.
func TestMigrateRoundTrip(t *testing.T) {
	dir := t.TempDir()
	if err := os.CopyFS(dir, os.DirFS("testdata/legacy/seed002")); err != nil {
		t.Fatal(err)
	}
	legacy, err := Load(context.Background(), LoadOptions{WorkingDir: dir})
	if err != nil {
		t.Fatalf("load legacy: %v", err)
	}
	files, err := MigrateFiles(legacy)
	if err != nil {
		t.Fatalf("migrate: %v", err)
	}
	if len(files) != 1 || files[0].Target != filepath.Join(dir, "compose.yaml") {
		t.Fatalf("got migrated files %+v, want one, to compose.yaml", files)
	}
	for _, want := range []string{"./files/drupal:/var/www", "./mysql.env", "build: ./build/app/.", "depends_on:", "# WARNING: only for dev"} {
		if !strings.Contains(string(files[0].Content), want) {
			t.Errorf("migrated file lacks %q:\n%s", want, files[0].Content)
		}
	}
	if err := os.WriteFile(files[0].Target, files[0].Content, 0o644); err != nil {
		t.Fatal(err)
	}
	current, err := Load(context.Background(), LoadOptions{WorkingDir: dir, Files: []string{files[0].Target}})
	if err != nil {
		t.Fatalf("load migrated: %v", err)
	}
	if current.Legacy {
		t.Error("migrated file still loads as legacy")
	}
	for _, s := range legacy.Services {
		c, ok := current.Service(s.Name)
		if !ok || c.Hash != s.Hash {
			t.Errorf("service %s: migrated hash %q, legacy hash %q", s.Name, c.Hash, s.Hash)
		}
	}
	if _, err := MigrateFiles(current); !errors.Is(err, ErrNotLegacy) {
		t.Errorf("MigrateFiles of a current-format project: got %v, want ErrNotLegacy", err)
	}
}

func findEnv(env []EnvVar, name string) EnvVar {
	for _, e := range env {
		if e.Name == name {
			return e
		}
	}
	return EnvVar{}
}
