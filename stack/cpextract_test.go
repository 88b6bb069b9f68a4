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
