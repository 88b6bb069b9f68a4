package stack

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"

	"github.com/devstack/devstack/stack/internal/yamlpos"
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
	if len(p.Warnings) == 0 || p.Warnings[0].Message != legacyWarning || p.Warnings[0].File != "docker-compose.yml" {
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

func TestIsLegacy(t *testing.T) {
	cases := []struct {
		yaml string
		want bool
	}{
		{"app:\n  image: x\n", true},
		{"version: \"1\"\napp:\n  image: x\n", true},
		{"app:\n  image: x\nx-common: &c\n  restart: always\n", true},
		{"services:\n  app:\n    image: x\n", false},
		{"version: \"2\"\nservices:\n  app:\n    image: x\n", false},
		{"version: \"3\"\napp:\n  image: x\n", false},
		{"name: x\nnetworks: {}\n", false},
		{"app: just a string\n", false},
		{"", false},
		{"- a\n- b\n", false},
	}
	for _, c := range cases {
		if got := isLegacy(yamlpos.TopMapping([]byte(c.yaml))); got != c.want {
			t.Errorf("isLegacy(%q): got %v, want %v", c.yaml, got, c.want)
		}
	}
}

// TestConvertLegacy checks each v1 rule on a small file.
func TestConvertLegacy(t *testing.T) {
	src := `
web:
  build: ./web
  dockerfile: Dockerfile.dev
  links: ["db:database", cache]
  volumes_from: [cache, data_container]
  log_driver: syslog
  log_opt: {tag: web}
  volumes: ["data:/data", "./src:/src"]
db:
  image: mariadb
cache:
  image: redis
  net: "container:db"
`
	out, notes, err := convertLegacy([]byte(src))
	if err != nil {
		t.Fatal(err)
	}
	var got struct {
		Services map[string]map[string]any
		Volumes  map[string]map[string]string
	}
	if err := yaml.Unmarshal(out, &got); err != nil {
		t.Fatalf("converted file does not parse: %v\n%s", err, out)
	}
	web, db, cache := got.Services["web"], got.Services["db"], got.Services["cache"]
	checks := []struct {
		what      string
		got, want any
	}{
		{"web build", web["build"], map[string]any{"context": "./web", "dockerfile": "Dockerfile.dev"}},
		{"web depends_on", web["depends_on"], []any{"db", "cache"}},
		{"web links", web["links"], nil},
		{"web volumes_from", web["volumes_from"], []any{"cache", "container:data_container"}},
		{"web logging", web["logging"], map[string]any{"driver": "syslog", "options": map[string]any{"tag": "web"}}},
		{"db aliases", db["networks"], map[string]any{"default": map[string]any{"aliases": []any{"database"}}}},
		{"cache network_mode", cache["network_mode"], "service:db"},
		{"cache net", cache["net"], nil},
		{"named volume", got.Volumes["data"], map[string]string{"name": "data"}},
		{"bind mount not a volume", got.Volumes["./src"], map[string]string(nil)},
	}
	for _, c := range checks {
		if !equalYAML(c.got, c.want) {
			t.Errorf("%s: got %#v, want %#v", c.what, c.got, c.want)
		}
	}
	if len(notes) != 0 {
		t.Errorf("got notes %v, want none", notes)
	}
}

// TestConvertLegacyNotes checks what conversion cannot keep is said.
func TestConvertLegacyNotes(t *testing.T) {
	src := "web:\n  image: x\n  links: [outside, db:alias]\ndb:\n  image: y\n  net: host\n"
	_, notes, err := convertLegacy([]byte(src))
	if err != nil {
		t.Fatal(err)
	}
	var texts []string
	for _, n := range notes {
		texts = append(texts, n.String())
	}
	all := strings.Join(texts, "\n")
	for _, want := range []string{`services.web.links: link to "outside"`, "services.db.links: link aliases alias dropped"} {
		if !strings.Contains(all, want) {
			t.Errorf("notes %q lack %q", all, want)
		}
	}
}

func equalYAML(a, b any) bool {
	x, _ := yaml.Marshal(a)
	y, _ := yaml.Marshal(b)
	return string(x) == string(y)
}

func findEnv(env []EnvVar, name string) EnvVar {
	for _, e := range env {
		if e.Name == name {
			return e
		}
	}
	return EnvVar{}
}

func TestNoteNamedVolumes(t *testing.T) {
	var seq yaml.Node
	if err := yaml.Unmarshal([]byte(`["data:/a", "./rel:/b", "/abs:/c", "~/home:/d", "$HOME/x:/e", "C:\\win:/f", "/anon", "data:/g", "logs:/h:ro"]`), &seq); err != nil {
		t.Fatal(err)
	}
	c := &legacyConversion{}
	c.noteNamedVolumes(seq.Content[0])
	if got := strings.Join(c.named, ","); got != "data,logs" {
		t.Errorf("got named volumes %s, want data,logs", got)
	}
}
