package templates

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// packBuiltin packs a fresh copy of a built-in and returns the package.
func packBuiltin(t *testing.T, name string) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), name)
	initBuiltin(t, name, dir, nil)
	out := filepath.Join(t.TempDir(), name+".tgz")
	if _, err := Pack(context.Background(), dir, PackOptions{Output: out}); err != nil {
		t.Fatal(err)
	}
	return out
}

func TestOpenHTTPS(t *testing.T) {
	pkg, err := os.ReadFile(packBuiltin(t, "node-redis"))
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/stack.tgz":
			w.Write(pkg)
		case "/huge.tgz":
			w.Write(make([]byte, 2<<20))
		default:
			http.NotFound(w, r)
		}
	}))
	defer srv.Close()
	opts := OpenOptions{HTTPClient: srv.Client()}

	tpl, err := Open(context.Background(), srv.URL+"/stack.tgz", opts)
	if err != nil {
		t.Fatalf("open over https: %v", err)
	}
	if tpl.Manifest.Name != "node-redis" || tpl.Source != srv.URL+"/stack.tgz" {
		t.Fatalf("got %s from %s", tpl.Manifest.Name, tpl.Source)
	}
	dir := filepath.Join(t.TempDir(), "s")
	if _, err := Init(context.Background(), tpl, dir, InitOptions{}); err != nil {
		t.Fatalf("init: %v", err)
	}

	if _, err := Open(context.Background(), srv.URL+"/missing.tgz", opts); err == nil || !strings.Contains(err.Error(), "404") {
		t.Errorf("missing: got %v, want a 404 error", err)
	}
	small := opts
	small.Limits = Limits{MaxTotal: 1 << 20, MaxFile: 1 << 20, MaxFiles: 100}
	if _, err := Open(context.Background(), srv.URL+"/huge.tgz", small); !errors.Is(err, ErrTooLarge) {
		t.Errorf("huge: got %v, want ErrTooLarge", err)
	}
	// The server's certificate is not trusted by a default client.
	if _, err := Open(context.Background(), srv.URL+"/stack.tgz", OpenOptions{}); err == nil {
		t.Error("an untrusted certificate was accepted")
	}
	if _, err := Open(context.Background(), "http://127.0.0.1:1/stack.tgz", opts); err == nil || !strings.Contains(err.Error(), "https only") {
		t.Errorf("http: got %v, want 'https only'", err)
	}
}

func TestOpenFolderAndNames(t *testing.T) {
	ctx := context.Background()
	dir := filepath.Join(t.TempDir(), "mine")
	initBuiltin(t, "go-mariadb", dir, map[string]string{"DB_PASSWORD": "folder-secret"})
	writeFiles(t, dir, map[string]string{"id_ed25519": "key"})
	tpl, err := Open(ctx, dir, OpenOptions{})
	if err != nil {
		t.Fatalf("open folder: %v", err)
	}
	for _, f := range tpl.files() {
		if f == "id_ed25519" {
			t.Error("a folder template carries its private key")
		}
	}
	for _, e := range tpl.entries {
		if strings.Contains(string(e.data), "folder-secret") {
			t.Errorf("%s carries the folder's secret", e.name)
		}
	}

	user := t.TempDir()
	if err := os.Rename(packBuiltin(t, "node-redis"), filepath.Join(user, "team-cache.tgz")); err != nil {
		t.Fatal(err)
	}
	writeFiles(t, user, map[string]string{"broken.tgz": "not gzip", "notes.txt": "ignored"})
	if _, err := Open(ctx, "team-cache", OpenOptions{UserDir: user}); err != nil {
		t.Errorf("open by name from the user folder: %v", err)
	}
	_, err = Open(ctx, "no-such-template", OpenOptions{UserDir: user})
	if !errors.Is(err, ErrNoTemplate) || !strings.Contains(err.Error(), "php-mariadb") {
		t.Errorf("unknown name: got %v, want ErrNoTemplate listing the built-ins", err)
	}

	list, err := List(ctx, user)
	if err != nil {
		t.Fatal(err)
	}
	var lines []string
	for _, l := range list {
		line := l.Name
		if l.Builtin {
			line += " (built-in)"
		}
		if l.Err != nil {
			line += " !" + l.Source[len(user)+1:]
		}
		lines = append(lines, line)
	}
	want := "go-mariadb (built-in), node-redis (built-in), php-mariadb (built-in), broken.tgz !broken.tgz, node-redis"
	if got := strings.Join(lines, ", "); got != want {
		t.Errorf("list: got %q, want %q", got, want)
	}
}

func TestUserDir(t *testing.T) {
	t.Setenv("XDG_DATA_HOME", "/xdg")
	if d, _ := UserDir(); d != "/xdg/devstack/templates" {
		t.Errorf("got %s", d)
	}
	t.Setenv("XDG_DATA_HOME", "")
	t.Setenv("HOME", "/home/u")
	if d, _ := UserDir(); d != "/home/u/.local/share/devstack/templates" {
		t.Errorf("got %s", d)
	}
}
