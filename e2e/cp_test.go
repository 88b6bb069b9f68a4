package e2e

import (
	"crypto/sha256"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// bigFileSize is the size of the file cp must stream: far more than the
// memory the copy may use.
const bigFileSize = 200 << 20

// maxCopyRSS bounds devstack's peak resident memory during a copy; a copy
// that held the archive in memory would need more than bigFileSize.
const maxCopyRSS = 120 << 20

// TestCpRoundTrip copies a tree (modes, a symbolic link, a chowned file
// and a 200 MB file) into a service's container and back, both with the
// real binary, and checks that everything survives and that devstack's
// peak RSS stays far below the file's size: the archive is streamed.
// Compose's cp of the same small tree gives the same result in the
// container.
func TestCpRoundTrip(t *testing.T) {
	dir, name := webStack(t, "cp")

	src := filepath.Join(t.TempDir(), "tree")
	writeTree(t, src)
	bigSum := writeBigFile(t, filepath.Join(src, "big.bin"))

	in, rssIn := runMeasured(t, dir, "-p", name, "cp", src, "web:/data/")
	back := filepath.Join(t.TempDir(), "back")
	out, rssOut := runMeasured(t, dir, "-p", name, "cp", "web-1:/data/tree", back)
	for _, r := range []result{in, out} {
		if r.code != 0 {
			t.Fatalf("cp: exit %d: %s", r.code, r.stderr)
		}
	}
	t.Logf("peak RSS of devstack cp: %d MiB into the container, %d MiB out (file %d MiB)", rssIn>>20, rssOut>>20, bigFileSize>>20)
	if rssIn > maxCopyRSS || rssOut > maxCopyRSS {
		t.Errorf("cp of a %d MiB file peaked at %d/%d MiB RSS; the archive must be streamed (limit %d MiB)",
			bigFileSize>>20, rssIn>>20, rssOut>>20, maxCopyRSS>>20)
	}
	if got := fileSum(t, filepath.Join(back, "big.bin")); got != bigSum {
		t.Errorf("big.bin changed on the round trip: sha256 %x, want %x", got, bigSum)
	}
	os.Remove(filepath.Join(src, "big.bin"))
	os.Remove(filepath.Join(back, "big.bin"))
	if got, want := treeListing(t, back), treeListing(t, src); got != want {
		t.Errorf("tree after the round trip:\n%s\nwant:\n%s", got, want)
	}

	// The same small tree through compose's cp: the container sees the same.
	mustRun(t, dir, "-p", name, "exec", "-T", "web", "rm", "-rf", "/data/tree/big.bin")
	comp := tool{"compose", composeBinary(t)}
	comp.mustRun(t, dir, "-p", name, "exec", "-T", "web", "mkdir", "/data/bycompose")
	comp.mustRun(t, dir, "-p", name, "cp", src, "web:/data/bycompose/")
	list := func(path string) string {
		return mustRun(t, dir, "-p", name, "exec", "-T", "web", "sh", "-c",
			"cd "+path+" && find . | sort | while read f; do stat -c '%n %A %u:%g %s' \"$f\"; done").stdout
	}
	if d, c := list("/data/tree"), list("/data/bycompose/tree"); d != c {
		t.Errorf("in the container, devstack's copy:\n%s\ncompose's copy:\n%s", d, c)
	}
}

// TestCpOptions checks -a (owners kept), -L (a link followed) and the
// archive on stdout.
func TestCpOptions(t *testing.T) {
	dir, name := webStack(t, "cpopt")
	src := filepath.Join(t.TempDir(), "tree")
	writeTree(t, src)

	mustRun(t, dir, "-p", name, "cp", "-a", src, "web:/data/")
	owner := mustRun(t, dir, "-p", name, "exec", "-T", "web", "stat", "-c", "%u:%g", "/data/tree/owned.txt").stdout
	if strings.TrimSpace(owner) != "1234:5678" {
		t.Errorf("cp -a: owned.txt belongs to %q in the container, want 1234:5678", owner)
	}
	followed := filepath.Join(t.TempDir(), "followed")
	mustRun(t, dir, "-p", name, "cp", "-L", "web:/data/tree/link", followed)
	if fi, err := os.Lstat(followed); err != nil || !fi.Mode().IsRegular() {
		t.Errorf("cp -L of a link should give a regular file, got %v (%v)", fi, err)
	} else if b, _ := os.ReadFile(followed); string(b) != "hello\n" {
		t.Errorf("cp -L: content %q, want the link target's", b)
	}
	tarball := mustRun(t, dir, "-p", name, "cp", "web:/data/tree/sub", "-").stdout
	if !strings.Contains(tarball, "sub/") || !strings.Contains(tarball, "inner.txt") {
		t.Errorf("cp SERVICE:PATH - should write a tar archive of sub/, got %d bytes", len(tarball))
	}
	if r := devstack(t, dir, "-p", name, "cp", src, "wbe:/data/"); r.code == 0 || !strings.Contains(r.stderr, `no such service "wbe"`) {
		t.Errorf("cp to a mistyped service: exit %d, stderr %q", r.code, r.stderr)
	}
}

// webStack starts verbsStack's web service in a fresh project.
func webStack(t *testing.T, kind string) (dir, name string) {
	t.Helper()
	return upStack(t, kind, verbsStack, "web")
}

// upStack writes a compose file into a fresh folder and ups its services
// (all when none are named) in a fresh project.
func upStack(t *testing.T, kind, compose string, services ...string) (dir, name string) {
	t.Helper()
	requireImages(t, "local/busybox")
	dir = t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "compose.yaml"), []byte(compose), 0o644); err != nil {
		t.Fatal(err)
	}
	name = projectName(t, kind)
	mustRun(t, dir, append([]string{"-p", name, "up", "-d"}, services...)...)
	return dir, name
}

// writeTree makes a folder with modes, a link, a subfolder and a file
// owned by another user.
func writeTree(t *testing.T, root string) {
	t.Helper()
	must := func(err error) {
		if err != nil {
			t.Fatal(err)
		}
	}
	must(os.MkdirAll(filepath.Join(root, "sub"), 0o755))
	must(os.WriteFile(filepath.Join(root, "a.txt"), []byte("hello\n"), 0o640))
	must(os.WriteFile(filepath.Join(root, "run.sh"), []byte("#!/bin/sh\n"), 0o755))
	must(os.WriteFile(filepath.Join(root, "sub", "inner.txt"), []byte("inner\n"), 0o600))
	must(os.WriteFile(filepath.Join(root, "owned.txt"), []byte("mine\n"), 0o644))
	must(os.Chown(filepath.Join(root, "owned.txt"), 1234, 5678))
	must(os.Symlink("a.txt", filepath.Join(root, "link")))
	must(os.Chmod(filepath.Join(root, "sub"), 0o750))
}

// writeBigFile writes bigFileSize pseudo-random bytes and returns their sum.
func writeBigFile(t *testing.T, path string) [32]byte {
	t.Helper()
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	h := sha256.New()
	rng := rand.NewChaCha8([32]byte{1})
	if _, err := io.CopyN(io.MultiWriter(f, h), rng, bigFileSize); err != nil {
		t.Fatal(err)
	}
	return [32]byte(h.Sum(nil))
}

func fileSum(t *testing.T, path string) [32]byte {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	h := sha256.New()
	io.Copy(h, f)
	return [32]byte(h.Sum(nil))
}

// treeListing describes every entry: path, mode, link target, content.
func treeListing(t *testing.T, root string) string {
	t.Helper()
	var b strings.Builder
	filepath.Walk(root, func(path string, fi os.FileInfo, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(root, path)
		fmt.Fprintf(&b, "%s %v", rel, fi.Mode())
		switch {
		case fi.Mode()&os.ModeSymlink != 0:
			target, _ := os.Readlink(path)
			fmt.Fprintf(&b, " -> %s", target)
		case fi.Mode().IsRegular():
			data, _ := os.ReadFile(path)
			fmt.Fprintf(&b, " %q", data)
		}
		b.WriteString("\n")
		return nil
	})
	return b.String()
}

// runMeasured runs devstack and returns its result and peak RSS in bytes.
func runMeasured(t *testing.T, dir string, args ...string) (result, int64) {
	t.Helper()
	r, state := tool{"devstack", binary}.runProcess(t, dir, "", args...)
	return r, peakRSS(t, state)
}
