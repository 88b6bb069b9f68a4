package stack

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const cpStack = `
services:
  web:
    image: local/busybox
    command: ["sleep", "1d"]
`

// TestCopyPathRules checks docker cp's path rules against the engine in
// both directions: a source lands inside an existing folder, is renamed
// onto a path that does not exist (or onto an existing file), and "/."
// copies a folder's contents.
func TestCopyPathRules(t *testing.T) {
	s := newTestStack(t, "cp")
	requireFixture(t, s.e, "local/busybox")
	ctx := context.Background()
	p := s.load(cpStack)
	if err := s.e.Up(ctx, p, UpOptions{}); err != nil {
		t.Fatalf("up: %v", err)
	}
	if out, code := s.exec("web", "sh", "-c", "mkdir -p /data/existing && echo old > /data/file.txt"); code != 0 {
		t.Fatalf("prepare /data: exit %d: %s", code, out)
	}

	host := t.TempDir()
	src := filepath.Join(host, "src")
	if err := os.MkdirAll(filepath.Join(src, "sub"), 0o755); err != nil {
		t.Fatal(err)
	}
	for name, body := range map[string]string{"a.txt": "a\n", "sub/b.txt": "b\n"} {
		if err := os.WriteFile(filepath.Join(src, name), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	cp := func(from, to string) {
		t.Helper()
		if err := s.e.Copy(ctx, s.Name, p, CopyOptions{Source: from, Destination: to}); err != nil {
			t.Fatalf("cp %s %s: %v", from, to, err)
		}
	}
	cp(src, "web:/data/existing")                            // into the folder
	cp(src, "web:/data/renamed")                             // renamed
	cp(src+"/.", "web:/data/existing")                       // contents
	cp(filepath.Join(src, "a.txt"), "web:/data/file.txt")    // onto a file
	cp(filepath.Join(src, "a.txt"), "web-1:/data/existing/") // into, by index
	cp(filepath.Join(src, "a.txt"), "web:/data/newname.txt") // renamed
	list, _ := s.exec("web", "sh", "-c", "cd /data && find . -type f | sort | while read f; do echo \"$f $(cat $f)\"; done")
	want := strings.Join([]string{
		"./existing/a.txt a", "./existing/src/a.txt a", "./existing/src/sub/b.txt b", "./existing/sub/b.txt b",
		"./file.txt a", "./newname.txt a", "./renamed/a.txt a", "./renamed/sub/b.txt b", "",
	}, "\n")
	if list != want {
		t.Errorf("in the container:\n%s\nwant:\n%s", list, want)
	}
	if err := s.e.Copy(ctx, s.Name, p, CopyOptions{Source: src, Destination: "web:/data/file.txt"}); err == nil {
		t.Error("a folder copied onto a file should fail")
	}

	back := filepath.Join(host, "back")
	if err := os.Mkdir(back, 0o755); err != nil {
		t.Fatal(err)
	}
	cp("web:/data/renamed", back)                             // into the folder
	cp("web:/data/renamed", filepath.Join(back, "again"))     // renamed
	cp("web:/data/renamed/.", filepath.Join(back, "flat"))    // contents to a new folder
	cp("web:/data/file.txt", filepath.Join(back, "copy.txt")) // renamed file
	if got, want := hostFiles(t, back), "again/a.txt a\nagain/sub/b.txt b\ncopy.txt a\nflat/a.txt a\nflat/sub/b.txt b\nrenamed/a.txt a\nrenamed/sub/b.txt b\n"; got != want {
		t.Errorf("on this machine:\n%s\nwant:\n%s", got, want)
	}
	if err := s.e.Copy(ctx, s.Name, p, CopyOptions{Source: "web:/data/file.txt", Destination: filepath.Join(back, "missing") + "/"}); err == nil {
		t.Error("a file copied to a folder that does not exist should fail")
	}
}

// hostFiles lists the regular files under root with their first line.
func hostFiles(t *testing.T, root string) string {
	t.Helper()
	var b strings.Builder
	err := filepath.Walk(root, func(path string, fi os.FileInfo, err error) error {
		if err != nil || !fi.Mode().IsRegular() {
			return err
		}
		data, err := os.ReadFile(path)
		rel, _ := filepath.Rel(root, path)
		b.WriteString(filepath.ToSlash(rel) + " " + strings.TrimSpace(string(data)) + "\n")
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return b.String()
}
