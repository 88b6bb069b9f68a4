package stack

import (
	"os"
	"path/filepath"
	"testing"
	"time"
)

// TestPackExtractRoundTrip packs a tree with packTar and extracts it with
// extractTar under a new name: contents, modes, links and times survive.
func TestPackExtractRoundTrip(t *testing.T) {
	src := filepath.Join(t.TempDir(), "tree")
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(os.MkdirAll(filepath.Join(src, "sub"), 0o750))
	must(os.WriteFile(filepath.Join(src, "run.sh"), []byte("#!/bin/sh\n"), 0o755))
	must(os.WriteFile(filepath.Join(src, "sub", "inner.txt"), []byte("inner\n"), 0o600))
	must(os.Link(filepath.Join(src, "run.sh"), filepath.Join(src, "sub", "hard")))
	must(os.Symlink("../run.sh", filepath.Join(src, "sub", "link")))
	old := time.Unix(1.5e9, 0)
	must(os.Chtimes(filepath.Join(src, "sub", "inner.txt"), old, old))
	must(os.Chtimes(filepath.Join(src, "sub"), old, old))

	info, err := sourceInfo(src, false)
	must(err)
	r, wait := packedSource(info, rebaser("tree", "copy"))
	dst := t.TempDir()
	must(extractTar(r, dst, nil))
	r.Close()
	must(wait())

	got := filepath.Join(dst, "copy")
	for rel, want := range map[string]os.FileMode{"run.sh": 0o755, "sub": os.ModeDir | 0o750, "sub/inner.txt": 0o600, "sub/hard": 0o755} {
		fi, err := os.Lstat(filepath.Join(got, rel))
		if err != nil {
			t.Errorf("%s: %v", rel, err)
		} else if fi.Mode() != want {
			t.Errorf("%s: mode %v, want %v", rel, fi.Mode(), want)
		}
	}
	for _, rel := range []string{"sub", "sub/inner.txt"} {
		if fi, err := os.Lstat(filepath.Join(got, rel)); err == nil && !fi.ModTime().Equal(old) {
			t.Errorf("%s: modified %v, want %v", rel, fi.ModTime(), old)
		}
	}
	if target, err := os.Readlink(filepath.Join(got, "sub", "link")); err != nil || target != "../run.sh" {
		t.Errorf("sub/link: target %q (%v), want ../run.sh", target, err)
	}
	a, errA := os.Stat(filepath.Join(got, "run.sh"))
	b, errB := os.Stat(filepath.Join(got, "sub", "hard"))
	if errA != nil || errB != nil || !os.SameFile(a, b) {
		t.Errorf("sub/hard should be a hard link to run.sh again (%v, %v)", errA, errB)
	}
}

// TestPackFollowsTopLink: -L archives what a source link points to under
// the link's name; without it the link itself is copied.
func TestPackFollowsTopLink(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "target.txt"), []byte("hello\n"), 0o640); err != nil {
		t.Fatal(err)
	}
	link := filepath.Join(dir, "link")
	if err := os.Symlink("target.txt", link); err != nil {
		t.Fatal(err)
	}
	for _, follow := range []bool{true, false} {
		info, err := sourceInfo(link, follow)
		if err != nil {
			t.Fatal(err)
		}
		dst := t.TempDir()
		r, wait := packedSource(info, nil)
		if err := extractTar(r, dst, nil); err != nil {
			t.Fatal(err)
		}
		if err := wait(); err != nil {
			t.Fatal(err)
		}
		fi, err := os.Lstat(filepath.Join(dst, "link"))
		switch {
		case err != nil:
			t.Errorf("follow %v: %v", follow, err)
		case follow && fi.Mode() != 0o640:
			t.Errorf("-L: link copied as %v, want the target's regular file with mode 0640", fi.Mode())
		case !follow && fi.Mode()&os.ModeSymlink == 0:
			t.Errorf("without -L: link copied as %v, want a symbolic link", fi.Mode())
		}
	}
}
