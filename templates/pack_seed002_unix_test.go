//go:build unix

package templates

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// seed002Folder is a stack like the one seed 002 shares: secrets in .env
// and mysql.env, ssh keys bind-mounted from $HOME, raw database files,
// and the clutter a real folder has, a fifo among it (which is why this
// file is for unix only: Windows has no fifos).
func seed002Folder(t *testing.T) (dir string) {
	home := t.TempDir()
	t.Setenv("HOME", home)
	writeFiles(t, home, map[string]string{".ssh/id_rsa": "ssh-secret-key-material\n"})
	dir = filepath.Join(t.TempDir(), "Team Stack")
	writeFiles(t, dir, map[string]string{
		"compose.yaml": `services:
  app:
    build: ./build/app
    ports: ["${HTTP_PORT}:80"]
    volumes:
      - ./files/drupal:/var/www
      - /etc/localtime:/etc/localtime:ro
      - $HOME/.ssh/id_rsa:/root/.ssh/id_rsa # WARNING: only for dev
    environment:
      API_TOKEN: ${API_TOKEN}
      SMTP_PASSWORD: literal-in-compose
    mem_limit: 1024m
  db:
    image: mariadb:10.2
    env_file: [./mysql.env]
    volumes: [./files/db:/var/lib/mysql]
    mem_limit: 748m
    secrets: [db_root]
secrets:
  db_root:
    file: ./secrets/db_root.txt
`,
		"secrets/db_root.txt":    "compose-secret-file-value\n",
		".envrc":                 "export AWS_SECRET_ACCESS_KEY=direnv-secret-value\n",
		".env":                   "# port of the site\nHTTP_PORT=8080\nDB_PASSWORD=hunter2-secret-value\n#DB_PASSWORD=old-secret-pw\nAPI_TOKEN='tok-XYZ-secret'\n",
		"mysql.env":              "MYSQL_ROOT_PASSWORD=rootpw-secret-value\nMYSQL_DATABASE=drupal\nMYSQL_PASSWORD=${DB_PASSWORD}\n",
		"mysql.env.example":      "stale example\n",
		"build/app/Dockerfile":   "FROM local/busybox\n",
		"files/drupal/index.php": "<?php echo 1;\n",
		"files/db/ibdata1":       "raw database pages\n",
		".dockerignore":          "node_modules\n*.log\n",
		".devstackignore":        "files/db/\n",
		"node_modules/x.js":      "x\n",
		"debug.log":              "log\n",
		"id_rsa":                 "copied key\n",
		"certs/server.key":       "key\n",
		"notes.txt":              "-----BEGIN OPENSSH PRIVATE KEY-----\nabc\n",
		".git/config":            "[core]\n",
	})
	if err := syscall.Mkfifo(filepath.Join(dir, "pipe"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink("files/drupal", filepath.Join(dir, "current")); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink("/etc/hostname", filepath.Join(dir, "hostname")); err != nil {
		t.Fatal(err)
	}
	return dir
}

func TestPackLeavesSecretsOut(t *testing.T) {
	dir := seed002Folder(t)
	out := filepath.Join(dir, "out.tgz") // inside the folder: must not pack itself
	writeFiles(t, dir, map[string]string{"out.tgz": "an older package"})
	rep, err := Pack(context.Background(), dir, PackOptions{Output: out})
	if err != nil {
		t.Fatalf("pack: %v", err)
	}
	assertNoSecrets(t, out, "hunter2-secret-value", "tok-XYZ-secret", "rootpw-secret-value",
		"ssh-secret-key-material", "copied key", "PRIVATE KEY", "raw database pages", "stale example", "an older package", "old-secret-pw",
		"compose-secret-file-value", "direnv-secret-value", "literal-in-compose")

	m := rep.Manifest
	if !rep.ManifestGenerated || m.Name != "team-stack" || m.Version != "0.1.0" {
		t.Fatalf("manifest: generated %v, %+v; want team-stack 0.1.0", rep.ManifestGenerated, m)
	}
	wantOpts := map[string]Option{
		"HTTP_PORT":   {Key: "HTTP_PORT", Default: "8080"},
		"DB_PASSWORD": {Key: "DB_PASSWORD", Secret: true},
		"API_TOKEN":   {Key: "API_TOKEN", Secret: true},
		// written in compose.yaml itself: taken out as ${SMTP_PASSWORD}
		"SMTP_PASSWORD": {Key: "SMTP_PASSWORD", Secret: true},
	}
	for _, o := range m.Options {
		if o != wantOpts[o.Key] {
			t.Errorf("option %s: got %+v, want %+v", o.Key, o, wantOpts[o.Key])
		}
	}
	if len(m.Options) != 4 {
		t.Errorf("options: got %d, want 4", len(m.Options))
	}
	if strings.Join(m.Data, ",") != "files/db,files/drupal" {
		t.Errorf("data: got %v, want the bind-mounted folders", m.Data)
	}

	left := map[string]string{}
	for _, l := range rep.LeftOut {
		left[l.Path] = l.Reason
	}
	home, _ := os.UserHomeDir()
	for path, reason := range map[string]string{
		filepath.Join(home, ".ssh/id_rsa"): "outside the folder",
		"/etc/localtime":                   "outside the folder",
		"node_modules":                     ".dockerignore",
		"debug.log":                        ".dockerignore",
		"files/db":                         ".devstackignore",
		"id_rsa":                           "private key",
		"certs/server.key":                 "private key",
		"notes.txt":                        "private key",
		"pipe":                             "not a regular file",
		"hostname":                         "outside the folder",
		".git":                             "never packed",
		"out.tgz":                          "package being written",
		"mysql.env.example":                "replaced by the example",
	} {
		if !strings.Contains(left[path], reason) {
			t.Errorf("left out %s: got reason %q, want one saying %q", path, left[path], reason)
		}
	}
	warnings := strings.Join(rep.Warnings, "\n")
	for _, want := range []string{"(/etc/localtime:/etc/localtime) is outside the folder", ".ssh/id_rsa:/root/.ssh/id_rsa) is outside the folder"} {
		if !strings.Contains(warnings, want) {
			t.Errorf("warnings: got %q, want one saying %q", rep.Warnings, want)
		}
	}

	files := map[string]PackedFile{}
	for _, f := range rep.Files {
		files[f.Path] = f
	}
	if f := files[".env.example"]; !strings.Contains(f.Note, "blanked DB_PASSWORD, API_TOKEN") {
		t.Errorf(".env.example note: %q", f.Note)
	}
	if f := files["compose.yaml"]; !strings.Contains(f.Note, "replaced by variables: SMTP_PASSWORD") {
		t.Errorf("compose.yaml note: %q, want the literal credential taken out", f.Note)
	}
	if f := files["files/drupal/index.php"]; !f.Data || f.Size != 14 {
		t.Errorf("index.php: got %+v, want data of 14 bytes", f)
	}
	if f := files["secrets/db_root.txt"]; f.Size != 0 || !strings.Contains(f.Note, "compose secret") {
		t.Errorf("secret file: got %+v, want it packed empty", f)
	}
	if f := files["current"]; f.Note != "symlink to files/drupal" {
		t.Errorf("current: got %+v, want the inside symlink kept", f)
	}

	tpl, err := Open(context.Background(), out, OpenOptions{})
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for _, e := range tpl.entries {
		got[e.name] = string(e.data)
	}
	if g := got[".env.example"]; g != "# port of the site\nHTTP_PORT=8080\nDB_PASSWORD=\n#DB_PASSWORD=\nAPI_TOKEN=\n" {
		t.Errorf(".env.example: got %q", g)
	}
	if g := got["mysql.env.example"]; g != "MYSQL_ROOT_PASSWORD=\nMYSQL_DATABASE=\nMYSQL_PASSWORD=${DB_PASSWORD}\n" {
		t.Errorf("mysql.env.example: got %q", g)
	}
}

func TestPackedFolderInits(t *testing.T) {
	dir := seed002Folder(t)
	out := filepath.Join(t.TempDir(), "team.tgz")
	if _, err := Pack(context.Background(), dir, PackOptions{Output: out}); err != nil {
		t.Fatal(err)
	}
	tpl, err := Open(context.Background(), out, OpenOptions{})
	if err != nil {
		t.Fatal(err)
	}
	b := filepath.Join(t.TempDir(), "colleague")
	res, err := Init(context.Background(), tpl, b, InitOptions{Values: map[string]string{"DB_PASSWORD": "theirs"}})
	if err != nil {
		t.Fatalf("init: %v", err)
	}
	got := treeOf(t, b)
	if got[".env"] != "# port of the site\nHTTP_PORT=8080\nDB_PASSWORD=theirs\n#DB_PASSWORD=\nAPI_TOKEN=\nSMTP_PASSWORD=\n" {
		t.Errorf(".env: got %q", got[".env"])
	}
	if got["mysql.env"] != "MYSQL_ROOT_PASSWORD=\nMYSQL_DATABASE=\nMYSQL_PASSWORD=${DB_PASSWORD}\n" {
		t.Errorf("mysql.env: got %q", got["mysql.env"])
	}
	if got["files/drupal/index.php"] != "<?php echo 1;\n" || got["current"] != "-> files/drupal" {
		t.Errorf("code: got %q, link %q", got["files/drupal/index.php"], got["current"])
	}
	if res.ComposeFile != "compose.yaml" || len(res.Files) == 0 {
		t.Errorf("result: %+v", res)
	}
	if w := strings.Join(res.Warnings, "\n"); !strings.Contains(w, "service app mounts "+os.Getenv("HOME")+"/.ssh/id_rsa from outside the stack folder (read-write") {
		t.Errorf("warnings: got %q, want the ssh key mount named", res.Warnings)
	}
}
