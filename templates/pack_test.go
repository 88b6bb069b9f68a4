package templates

import (
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"io"
	"maps"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestPackInitRoundTrip packs a stack made from a built-in and inits the
// package elsewhere: the files come back identical, and the secret typed
// at the first init is nowhere in the package.
func TestPackInitRoundTrip(t *testing.T) {
	const secret = "Sup3r-Secret-App-Pw"
	for _, name := range []string{"php-mariadb", "go-mariadb", "node-redis"} {
		t.Run(name, func(t *testing.T) {
			values := map[string]string{}
			if name != "node-redis" {
				values["DB_PASSWORD"] = secret
			}
			a := filepath.Join(t.TempDir(), "a")
			initBuiltin(t, name, a, values)
			out := filepath.Join(t.TempDir(), "stack.tgz")
			rep, err := Pack(context.Background(), a, PackOptions{Output: out})
			if err != nil {
				t.Fatalf("pack: %v", err)
			}
			if rep.ManifestGenerated || rep.Manifest.Name != name || rep.Output != out {
				t.Fatalf("report: generated %v, name %q, output %q", rep.ManifestGenerated, rep.Manifest.Name, rep.Output)
			}
			assertNoSecrets(t, out, secret)
			tpl, err := Open(context.Background(), out, OpenOptions{})
			if err != nil {
				t.Fatalf("open the package: %v", err)
			}
			b := filepath.Join(t.TempDir(), "b")
			if _, err := Init(context.Background(), tpl, b, InitOptions{Values: values}); err != nil {
				t.Fatalf("init from the package: %v", err)
			}
			ta, tb := treeOf(t, a), treeOf(t, b)
			if !maps.Equal(ta, tb) {
				t.Fatalf("trees differ:\na: %v\nb: %v", keys(ta), keys(tb))
			}
		})
	}
}

// assertNoSecrets greps the package, compressed and decompressed.
func assertNoSecrets(t *testing.T, file string, secrets ...string) {
	t.Helper()
	raw, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	zr, err := gzip.NewReader(bytes.NewReader(raw))
	if err != nil {
		t.Fatal(err)
	}
	plain, err := io.ReadAll(zr)
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range secrets {
		if bytes.Contains(raw, []byte(s)) || bytes.Contains(plain, []byte(s)) {
			t.Errorf("the package holds the secret %q", s)
		}
	}
}

func TestPackRefusesFolderWithoutCompose(t *testing.T) {
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{"README.md": "hi\n"})
	_, err := Pack(context.Background(), dir, PackOptions{Output: filepath.Join(t.TempDir(), "x.tgz")})
	if err == nil || !strings.Contains(err.Error(), "no compose file") {
		t.Fatalf("got %v, want a 'no compose file' error", err)
	}
}

func TestPackIsReproducible(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "s")
	initBuiltin(t, "node-redis", dir, nil)
	var outs [2][]byte
	for i := range outs {
		out := filepath.Join(t.TempDir(), "p.tgz")
		if _, err := Pack(context.Background(), dir, PackOptions{Output: out}); err != nil {
			t.Fatal(err)
		}
		outs[i], _ = os.ReadFile(out)
	}
	if !bytes.Equal(outs[0], outs[1]) {
		t.Fatal("two packs of the same folder differ")
	}
}

func TestRedactLiteralSecrets(t *testing.T) {
	for _, tc := range []struct {
		name, in, want string
		keys           []string
		wantErr        string
	}{
		{name: "list", in: "app:\n  environment:\n    - DB_PASSWORD=hunter2\n    - DB_HOST=db\n    - API_KEY=${API_KEY}\n",
			want: "app:\n  environment:\n    - DB_PASSWORD=${DB_PASSWORD}\n    - DB_HOST=db\n    - API_KEY=${API_KEY}\n", keys: []string{"DB_PASSWORD"}},
		{name: "mapping, quoted and commented", in: "services:\n  app:\n    environment:\n      SECRET_KEY: \"a\\\"b\" # mine\n      TOKEN: 'it''s'\n      USER: me\n",
			want: "services:\n  app:\n    environment:\n      SECRET_KEY: \"${SECRET_KEY}\" # mine\n      TOKEN: '${TOKEN}'\n      USER: me\n", keys: []string{"SECRET_KEY", "TOKEN"}},
		{name: "plain with comment", in: "services:\n  app:\n    environment:\n      DB_PASS: hunter2   # keep\n",
			want: "services:\n  app:\n    environment:\n      DB_PASS: ${DB_PASS}   # keep\n", keys: []string{"DB_PASS"}},
		{name: "block scalar is refused", in: "services:\n  app:\n    environment:\n      PRIVATE_KEY: |\n        abc\n",
			wantErr: "compose.yaml:4: services.app.environment.PRIVATE_KEY"},
		{name: "broken yaml is left alone", in: "not: [yaml", want: "not: [yaml"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, keys, err := redactLiteralSecrets("compose.yaml", []byte(tc.in))
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("got %v, want an error naming %q", err, tc.wantErr)
				}
				return
			}
			if err != nil || string(got) != tc.want || strings.Join(keys, ",") != strings.Join(tc.keys, ",") {
				t.Fatalf("got %q %v %v,\nwant %q %v", got, keys, err, tc.want, tc.keys)
			}
		})
	}
}

func TestPackEdgeCases(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "edge")
	writeFiles(t, dir, map[string]string{
		"compose.yaml": `services:
  app:
    build: ./app
    volumes: [./app/src:/src, ./seed:/seed]
`,
		"app/Dockerfile":  "FROM local/busybox\n",
		"app/src/main.sh": "echo hi\n",
		"seed/rows.sql":   "SELECT 1;\n",
		".devstackignore": "big\n!big/keep.txt\n",
		"big/a":           "a", "big/b": "b", "big/keep.txt": "keep",
		"sub/x": "x",
	})
	if err := os.Symlink("sub", filepath.Join(dir, "l1")); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink("l1/x", filepath.Join(dir, "l2")); err != nil {
		t.Fatal(err)
	}
	rep, err := Pack(context.Background(), dir, PackOptions{Output: filepath.Join(t.TempDir(), "e.tgz")})
	if err != nil {
		t.Fatalf("pack: %v", err)
	}
	if got := strings.Join(rep.Manifest.Data, ","); got != "seed" {
		t.Errorf("data: got %q, want only seed (app/src is in the build context)", got)
	}
	packed := map[string]bool{}
	for _, f := range rep.Files {
		packed[f.Path] = true
	}
	var left []string
	for _, l := range rep.LeftOut {
		left = append(left, l.Path)
	}
	if !packed["big/keep.txt"] || packed["big/a"] || !packed["l1"] || packed["l2"] {
		t.Errorf("packed: %v; want big/keep.txt and l1, not big/a or l2", packed)
	}
	if got := strings.Join(left, ","); got != "big,l2" {
		t.Errorf("left out: got %q, want big (once, not each file) and l2", got)
	}
}

func TestPackTooLarge(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "large")
	writeFiles(t, dir, map[string]string{"compose.yaml": "services:\n  a:\n    image: x\n"})
	f, err := os.Create(filepath.Join(dir, "dump.sql"))
	if err != nil {
		t.Fatal(err)
	}
	// A sparse file: large to read, free on disk.
	if err := f.Truncate(DefaultLimits.MaxFile + 1); err != nil {
		t.Fatal(err)
	}
	f.Close()
	_, err = Pack(context.Background(), dir, PackOptions{Output: filepath.Join(t.TempDir(), "l.tgz")})
	if !errors.Is(err, ErrTooLarge) || !strings.Contains(err.Error(), "dump.sql") || !strings.Contains(err.Error(), ".devstackignore") {
		t.Fatalf("got %v, want ErrTooLarge naming dump.sql and .devstackignore", err)
	}
}

// TestPackLegacySeed002 packs the seed's own stack (compose v1 format, in
// examples/legacy-v1) and inits it again.
func TestPackLegacySeed002(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "legacy")
	if err := os.CopyFS(dir, os.DirFS(filepath.Join("..", "examples", "legacy-v1"))); err != nil {
		t.Fatalf("copy the example: %v", err)
	}
	out := filepath.Join(t.TempDir(), "legacy.tgz")
	rep, err := Pack(context.Background(), dir, PackOptions{Output: out})
	if err != nil {
		t.Fatalf("pack: %v", err)
	}
	assertNoSecrets(t, out, "devroot")
	if w := strings.Join(rep.Warnings, "\n"); !strings.Contains(w, "v1") && !strings.Contains(w, "legacy") {
		t.Errorf("warnings: got %q, want the legacy format named", rep.Warnings)
	}
	tpl, err := Open(context.Background(), out, OpenOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if tpl.ComposeFile != "docker-compose.yml" {
		t.Errorf("compose file: got %q", tpl.ComposeFile)
	}
	if _, err := Init(context.Background(), tpl, filepath.Join(t.TempDir(), "again"), InitOptions{}); err != nil {
		t.Fatalf("init: %v", err)
	}
}
