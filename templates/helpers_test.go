package templates

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"context"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"testing"
)

// tarEntry is one entry of an archive built by a test.
type tarEntry struct {
	name  string
	typ   byte
	body  string
	link  string
	mode  int64
	size  int64 // header size when it must differ from len(body)
	large int64 // write this many zero bytes as the body
}

const minimalManifest = "name: mini\nversion: 1.0.0\noptions:\n  - key: PORT\n    default: \"8080\"\n    secret: false\n"
const minimalCompose = "services:\n  web:\n    image: local/busybox\n    ports:\n      - \"${PORT}:80\"\n"

// validEntries are the entries of the smallest good package.
func validEntries() []tarEntry {
	return []tarEntry{
		{name: ManifestFile, typ: tar.TypeReg, body: minimalManifest},
		{name: "compose.yaml", typ: tar.TypeReg, body: minimalCompose},
	}
}

// makeTGZ writes entries as a .tgz exactly as given, hostile ones included.
func makeTGZ(t testing.TB, entries []tarEntry) []byte {
	t.Helper()
	var buf bytes.Buffer
	gz := gzip.NewWriter(&buf)
	tw := tar.NewWriter(gz)
	for _, e := range entries {
		hdr := &tar.Header{Name: e.name, Typeflag: e.typ, Linkname: e.link, Mode: e.mode, Format: tar.FormatPAX}
		if hdr.Mode == 0 {
			hdr.Mode = 0o644
		}
		if e.typ == tar.TypeReg {
			hdr.Size = int64(len(e.body)) + e.large
		}
		if e.size != 0 {
			hdr.Size = e.size
		}
		if err := tw.WriteHeader(hdr); err != nil {
			t.Fatalf("write header %s: %v", e.name, err)
		}
		if e.typ == tar.TypeReg {
			if _, err := tw.Write([]byte(e.body)); err != nil {
				t.Fatalf("write %s: %v", e.name, err)
			}
			zeros := make([]byte, 1<<20)
			for left := e.large; left > 0; {
				n := min(left, int64(len(zeros)))
				if _, err := tw.Write(zeros[:n]); err != nil {
					t.Fatalf("write %s: %v", e.name, err)
				}
				left -= n
			}
		}
	}
	if err := tw.Close(); err != nil {
		t.Fatal(err)
	}
	if err := gz.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// treeOf lists every path under dir with its kind and content, for
// before/after comparisons.
func treeOf(t testing.TB, dir string) map[string]string {
	t.Helper()
	out := map[string]string{}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		switch {
		case d.Type()&fs.ModeSymlink != 0:
			target, _ := os.Readlink(p)
			out[rel] = "-> " + target
		case d.IsDir():
			out[rel] = "dir"
		default:
			data, err := os.ReadFile(p)
			if err != nil {
				return err
			}
			out[rel] = string(data)
		}
		return nil
	})
	if err != nil {
		t.Fatalf("walk %s: %v", dir, err)
	}
	return out
}

func keys(m map[string]string) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

func writeFiles(t testing.TB, dir string, files map[string]string) {
	t.Helper()
	for name, body := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

func initBuiltin(t testing.TB, name, dir string, values map[string]string) Result {
	t.Helper()
	tpl, err := Open(context.Background(), name, OpenOptions{})
	if err != nil {
		t.Fatalf("open %s: %v", name, err)
	}
	res, err := Init(context.Background(), tpl, dir, InitOptions{Values: values})
	if err != nil {
		t.Fatalf("init %s: %v", name, err)
	}
	return res
}
