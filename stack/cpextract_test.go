package stack

import (
	"archive/tar"
	"bytes"
	"errors"
	"io"
	"os"
	"path/filepath"
	"testing"
	"time"
)

// tarEntry is one entry of a hand-built archive.
type tarEntry struct {
	name, link, body string
	typ              byte
}

func buildTar(t *testing.T, entries ...tarEntry) io.Reader {
	t.Helper()
	var b bytes.Buffer
	tw := tar.NewWriter(&b)
	for _, e := range entries {
		hdr := &tar.Header{Name: e.name, Linkname: e.link, Typeflag: e.typ, Mode: 0o644, Size: int64(len(e.body)), ModTime: time.Unix(1e9, 0)}
		if e.typ == tar.TypeDir {
			hdr.Mode = 0o755
		}
		if e.typ != tar.TypeReg {
			hdr.Size = 0
		}
		if err := tw.WriteHeader(hdr); err != nil {
			t.Fatal(err)
		}
		if hdr.Size > 0 {
			if _, err := io.WriteString(tw, e.body); err != nil {
				t.Fatal(err)
			}
		}
	}
	if err := tw.Close(); err != nil {
		t.Fatal(err)
	}
	return &b
}

// TestExtractRefusesEscapes feeds archives a hostile container could send
// and checks that each is refused and that nothing lands outside the
// destination.
func TestExtractRefusesEscapes(t *testing.T) {
	file := func(name string) tarEntry { return tarEntry{name: name, typ: tar.TypeReg, body: "pwned\n"} }
	cases := []struct {
		name    string
		entries []tarEntry
	}{
		{"dot-dot", []tarEntry{file("../escaped")}},
		{"dot-dot inside", []tarEntry{file("x/../../escaped")}},
		{"dot-dot that cleans inside", []tarEntry{file("x/../escaped")}},
		{"absolute", []tarEntry{file("/escaped")}},
		{"through an absolute link", []tarEntry{
			{name: "out", typ: tar.TypeSymlink, link: "OUTSIDE"}, file("out/escaped")}},
		{"through a relative link", []tarEntry{
			{name: "up", typ: tar.TypeSymlink, link: ".."}, file("up/escaped")}},
		{"through a link inside", []tarEntry{
			{name: "d", typ: tar.TypeDir}, {name: "l", typ: tar.TypeSymlink, link: "d"}, file("l/escaped")}},
		{"hard link out", []tarEntry{{name: "h", typ: tar.TypeLink, link: "../victim"}}},
		{"hard link absolute", []tarEntry{{name: "h", typ: tar.TypeLink, link: "/etc/passwd"}}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			base := t.TempDir()
			dst, outside := filepath.Join(base, "dst"), filepath.Join(base, "outside")
			for _, d := range []string{dst, outside} {
				if err := os.Mkdir(d, 0o755); err != nil {
					t.Fatal(err)
				}
			}
			if err := os.WriteFile(filepath.Join(base, "victim"), []byte("mine\n"), 0o644); err != nil {
				t.Fatal(err)
			}
			for i := range c.entries {
				if c.entries[i].link == "OUTSIDE" {
					c.entries[i].link = outside
				}
			}
			err := extractTar(buildTar(t, c.entries...), dst, nil)
			if !errors.Is(err, errUnsafeEntry) {
				t.Errorf("got %v, want an unsafe-entry error", err)
			}
			for _, p := range []string{filepath.Join(base, "escaped"), filepath.Join(outside, "escaped"), filepath.Join(dst, "d", "escaped"), "/escaped"} {
				if _, err := os.Lstat(p); err == nil {
					t.Errorf("%s was written", p)
				}
			}
		})
	}
}

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

// TestPrepareCopy checks docker cp's path rules: into an existing folder,
// renamed onto a new path or an existing file, contents with "/.".
func TestPrepareCopy(t *testing.T) {
	cases := []struct {
		name          string
		src, dst      copyInfo
		dir, top, err string
	}{
		{"file into folder", copyInfo{path: "/h/a"}, copyInfo{path: "/c/d", exists: true, isDir: true}, "/c/d", "a", ""},
		{"file to new path", copyInfo{path: "/h/a"}, copyInfo{path: "/c/b"}, "/c", "b", ""},
		{"file onto file", copyInfo{path: "/h/a"}, copyInfo{path: "/c/b", exists: true}, "/c", "b", ""},
		{"folder to new path", copyInfo{path: "/h/a", isDir: true}, copyInfo{path: "/c/b"}, "/c", "b", ""},
		{"contents to new path", copyInfo{path: "/h/a/.", isDir: true}, copyInfo{path: "/c/b"}, "/c", "b", ""},
		{"contents into folder", copyInfo{path: "/h/a/.", isDir: true}, copyInfo{path: "/c/d", exists: true, isDir: true}, "/c/d", ".", ""},
		{"followed link keeps its name", copyInfo{path: "/h/target", rebaseName: "link"}, copyInfo{path: "/c/d", exists: true, isDir: true}, "/c/d", "link", ""},
		{"followed link renamed", copyInfo{path: "/h/target", rebaseName: "link"}, copyInfo{path: "/c/b"}, "/c", "b", ""},
		{"folder onto file", copyInfo{path: "/h/a", isDir: true}, copyInfo{path: "/c/b", exists: true}, "", "", "cannot copy the folder"},
		{"file to missing folder", copyInfo{path: "/h/a"}, copyInfo{path: "/c/nope/"}, "", "", "does not exist"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			dir, rename, err := prepareCopy(c.src, c.dst)
			if c.err != "" {
				if err == nil || !bytes.Contains([]byte(err.Error()), []byte(c.err)) {
					t.Errorf("got error %v, want one saying %q", err, c.err)
				}
				return
			}
			_, base := splitPathDirEntry(c.src.path)
			top := base
			if c.src.rebaseName != "" {
				top = c.src.rebaseName
			}
			if rename != nil {
				top = rename(top)
			}
			if err != nil || dir != c.dir || top != c.top {
				t.Errorf("got folder %q, top entry %q, err %v; want %q, %q", dir, top, err, c.dir, c.top)
			}
		})
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
