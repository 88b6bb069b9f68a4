package templates

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/devstack/devstack/stack"
)

func TestBuiltinsList(t *testing.T) {
	infos, err := builtins()
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, i := range infos {
		names = append(names, i.Name)
		if !i.Builtin || i.Description == "" || i.Version == "" {
			t.Errorf("%s: got %+v, want a described, versioned built-in", i.Name, i)
		}
	}
	if got, want := strings.Join(names, " "), "go-mariadb node-redis php-mariadb"; got != want {
		t.Fatalf("got %q, want %q", got, want)
	}
}

// TestBuiltinsLoad inits every built-in with its defaults and loads the
// result with stack.Load, as devstack up will.
func TestBuiltinsLoad(t *testing.T) {
	want := map[string]struct {
		services []string
		stages   []string
	}{
		"php-mariadb": {[]string{"app", "db"}, []string{"dev", "test", "prod"}},
		"go-mariadb":  {[]string{"app", "db"}, []string{"builder", "debug", "prod"}},
		"node-redis":  {[]string{"app", "cache"}, []string{"dev", "test", "prod"}},
	}
	for name, w := range want {
		t.Run(name, func(t *testing.T) {
			dir := filepath.Join(t.TempDir(), name)
			res := initBuiltin(t, name, dir, nil)
			for _, w := range res.Warnings {
				// The PHP app shares the host's clock, read-only.
				if !strings.Contains(w, "mounts /etc/localtime from outside the stack folder (read-only") {
					t.Errorf("warning: %s", w)
				}
			}
			p, err := stack.Load(context.Background(), stack.LoadOptions{WorkingDir: dir})
			if err != nil {
				t.Fatalf("load: %v", err)
			}
			if got := p.ServiceNames(); !slices.Equal(got, w.services) {
				t.Fatalf("services: got %v, want %v", got, w.services)
			}
			for _, s := range p.Services {
				if s.Limits.MemoryBytes == 0 {
					t.Errorf("%s has no mem_limit", s.Name)
				}
			}
			app, _ := p.Service("app")
			if app.Build == nil {
				t.Fatal("app is not built")
			}
			dockerfile, err := os.ReadFile(filepath.Join(app.Build.Context, "Dockerfile"))
			if err != nil {
				t.Fatal(err)
			}
			for _, stage := range w.stages {
				if !strings.Contains(string(dockerfile), " AS "+stage+"\n") {
					t.Errorf("Dockerfile has no stage %s", stage)
				}
			}
			if _, err := os.Stat(filepath.Join(dir, "README.md")); err != nil {
				t.Errorf("no README: %v", err)
			}
		})
	}
}

// TestPHPMariaDBMatchesSeed checks the parts seed 002 asks for.
func TestPHPMariaDBMatchesSeed(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "shop")
	initBuiltin(t, "php-mariadb", dir, map[string]string{"DB_PASSWORD": "s3cret-app", "HTTP_PORT": "9090"})
	p, err := stack.Load(context.Background(), stack.LoadOptions{WorkingDir: dir})
	if err != nil {
		t.Fatal(err)
	}
	app, _ := p.Service("app")
	db, _ := p.Service("db")
	kinds := func(s stack.Service) map[stack.MountKind]string {
		m := map[stack.MountKind]string{}
		for _, mt := range s.Mounts {
			m[mt.Kind] = mt.Target
		}
		return m
	}
	if k := kinds(app); k[stack.MountBind] == "" || k[stack.MountTmpfs] != "/tmp" {
		t.Errorf("app mounts: got %v, want a code bind mount and a /tmp tmpfs", app.Mounts)
	}
	if k := kinds(db); k[stack.MountVolume] != "/var/lib/mysql" {
		t.Errorf("db mounts: got %v, want a named volume on /var/lib/mysql", db.Mounts)
	}
	if len(app.DependsOn) != 1 || app.DependsOn[0].Condition != "service_healthy" || !db.Healthcheck {
		t.Errorf("app depends on %+v, db healthcheck %v; want service_healthy on a checked db", app.DependsOn, db.Healthcheck)
	}
	env := map[string]stack.EnvVar{}
	for _, e := range db.Env {
		env[e.Name] = e
	}
	// db.env holds only ${DB_PASSWORD}: the value reaches the database
	// through compose's interpolation of the env file.
	if e := env["MARIADB_PASSWORD"]; e.Value != "s3cret-app" {
		t.Errorf("MARIADB_PASSWORD: got %+v, want s3cret-app", e)
	}
	if dbenv, _ := os.ReadFile(filepath.Join(dir, "db.env")); strings.Contains(string(dbenv), "s3cret") {
		t.Errorf("db.env holds the password itself:\n%s", dbenv)
	}
	if len(app.Ports) != 1 || app.Ports[0].HostPort != 9090 {
		t.Errorf("ports: got %v, want 9090->80", app.Ports)
	}
	seed, err := os.ReadFile(filepath.Join(dir, "db", "init", "01-seed.sql"))
	if err != nil || !strings.Contains(string(seed), "INSERT INTO notes") {
		t.Errorf("seed SQL: %v %q", err, seed)
	}
	fi, err := os.Stat(filepath.Join(dir, ".env"))
	if err != nil || fi.Mode().Perm() != 0o600 {
		t.Errorf(".env: %v, mode %v; want 0600", err, fi.Mode())
	}
	script, err := os.Stat(filepath.Join(dir, "app", "scripts", "update.sh"))
	if err != nil || script.Mode().Perm()&0o100 == 0 {
		t.Errorf("update.sh: %v; want it executable", err)
	}
}

func TestInitRefusesToOverwrite(t *testing.T) {
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{"compose.yaml": "mine\n", "notes.txt": "keep\n"})
	tpl, err := Open(context.Background(), "node-redis", OpenOptions{})
	if err != nil {
		t.Fatal(err)
	}
	_, err = Init(context.Background(), tpl, dir, InitOptions{})
	if !errors.Is(err, ErrExists) || !strings.Contains(err.Error(), "compose.yaml") {
		t.Fatalf("got %v, want ErrExists naming compose.yaml", err)
	}
	if got := treeOf(t, dir); len(got) != 3 || got["compose.yaml"] != "mine\n" {
		t.Fatalf("the folder changed: %v", keys(got))
	}
	res, err := Init(context.Background(), tpl, dir, InitOptions{Force: true})
	if err != nil {
		t.Fatalf("init --force: %v", err)
	}
	if !slices.Equal(res.Overwritten, []string{"compose.yaml"}) {
		t.Fatalf("overwritten: got %v, want [compose.yaml]", res.Overwritten)
	}
	if got := treeOf(t, dir); got["notes.txt"] != "keep\n" || got["compose.yaml"] == "mine\n" {
		t.Fatalf("after --force: notes.txt %q, compose.yaml %q", got["notes.txt"], got["compose.yaml"])
	}
}

func TestInitValues(t *testing.T) {
	tpl, err := Open(context.Background(), "php-mariadb", OpenOptions{})
	if err != nil {
		t.Fatal(err)
	}
	_, err = Init(context.Background(), tpl, t.TempDir(), InitOptions{Values: map[string]string{"NOPE": "1"}})
	if !errors.Is(err, ErrUnknownOption) || !strings.Contains(err.Error(), "HTTP_PORT") {
		t.Fatalf("got %v, want ErrUnknownOption listing the options", err)
	}
	_, err = Init(context.Background(), tpl, t.TempDir(), InitOptions{Values: map[string]string{"DB_PASSWORD": ""}})
	if !errors.Is(err, ErrMissingValue) {
		t.Fatalf("got %v, want ErrMissingValue", err)
	}
	// Values reach the containers exactly as typed: quotes, spaces and
	// dollars are not interpreted by compose.
	given := map[string]string{"DB_NAME": "shop db's $HOME", "DB_USER": "a$HOME b", "DB_PASSWORD": `p"w\d#x`}
	dir := t.TempDir()
	res, err := Init(context.Background(), tpl, dir, InitOptions{Values: given})
	if err != nil {
		t.Fatal(err)
	}
	p, err := stack.Load(context.Background(), stack.LoadOptions{WorkingDir: dir})
	if err != nil {
		t.Fatal(err)
	}
	app, _ := p.Service("app")
	for _, e := range app.Env {
		if want, ok := given[e.Name]; ok && e.Value != want {
			t.Errorf("%s: got %q, want %q", e.Name, e.Value, want)
		}
	}
	if res.Values["HTTP_PORT"] != "8080" {
		t.Fatalf("HTTP_PORT: got %q, want the default 8080", res.Values["HTTP_PORT"])
	}
}

func TestParseSet(t *testing.T) {
	got, err := ParseSet([]string{"A=1", "B=x=y", "A=2"})
	if err != nil || got["A"] != "2" || got["B"] != "x=y" {
		t.Fatalf("got %v, %v", got, err)
	}
	if _, err := ParseSet([]string{"novalue"}); err == nil {
		t.Fatal("want an error for a flag without '='")
	}
}

// TestInitRefusesKindConflicts: a folder where the template has a file, or
// a file where it has a folder, is never replaced, even with Force.
func TestInitRefusesKindConflicts(t *testing.T) {
	tpl, err := Open(context.Background(), "node-redis", OpenOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if len(tpl.Options()) != 3 {
		t.Fatalf("options: %v", tpl.Options())
	}
	for name, setup := range map[string]func(dir string) error{
		"folder where a file goes": func(dir string) error { return os.MkdirAll(filepath.Join(dir, "compose.yaml"), 0o755) },
		"file where a folder goes": func(dir string) error { return os.WriteFile(filepath.Join(dir, "app"), []byte("x"), 0o644) },
	} {
		t.Run(name, func(t *testing.T) {
			dir := t.TempDir()
			if err := setup(dir); err != nil {
				t.Fatal(err)
			}
			before := treeOf(t, dir)
			_, err := Init(context.Background(), tpl, dir, InitOptions{Force: true})
			if err == nil || !strings.Contains(err.Error(), "exists and is a") {
				t.Fatalf("got %v, want a refusal naming the kinds", err)
			}
			if after := treeOf(t, dir); len(after) != len(before) {
				t.Fatalf("the folder changed: %v", keys(after))
			}
		})
	}
}

func TestIsData(t *testing.T) {
	tpl, err := Open(context.Background(), "php-mariadb", OpenOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if data := tpl.Manifest.Data; !matchesAny(data, "db/init/01-seed.sql") || matchesAny(data, "app/src/index.php") {
		t.Fatal("db/init is data, app/src is not")
	}
}
