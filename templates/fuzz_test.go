package templates

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"testing"
)

var updateFuzzSeeds = flag.Bool("update-fuzz-seeds", false, "rewrite testdata/fuzz/FuzzUnpack from the hostile packages of the tests")

// fuzzSeeds are packages that reach every branch of the unpacker.
func fuzzSeeds(t testing.TB) map[string][]byte {
	return map[string][]byte{
		"valid":        makeTGZ(t, validEntries()),
		"links":        makeTGZ(t, append(validEntries(), tarEntry{name: "l", typ: tar.TypeSymlink, link: "compose.yaml"}, tarEntry{name: "h", typ: tar.TypeLink, link: "compose.yaml"})),
		"dotdot":       makeTGZ(t, append(validEntries(), tarEntry{name: "../x", typ: tar.TypeReg, body: "x"})),
		"symlink-out":  makeTGZ(t, append(validEntries(), tarEntry{name: "l", typ: tar.TypeSymlink, link: "../../x"})),
		"through-link": makeTGZ(t, append(validEntries(), tarEntry{name: "d", typ: tar.TypeSymlink, link: "."}, tarEntry{name: "d/x", typ: tar.TypeReg, body: "x"})),
		"fifo":         makeTGZ(t, append(validEntries(), tarEntry{name: "p", typ: tar.TypeFifo})),
		"env-example":  makeTGZ(t, append(validEntries(), tarEntry{name: "db.env.example", typ: tar.TypeReg, body: "A=\nB=${X}\n"})),
		"no-manifest":  makeTGZ(t, []tarEntry{{name: "compose.yaml", typ: tar.TypeReg, body: minimalCompose}}),
		"bad-manifest": makeTGZ(t, []tarEntry{{name: ManifestFile, typ: tar.TypeReg, body: "name: [\n"}}),
		"not-gzip":     []byte("not a package"),
		"empty-gzip":   makeTGZ(t, nil),
		"truncated":    makeTGZ(t, validEntries())[:60],
	}
}

// FuzzUnpack feeds arbitrary bytes to unpack with small limits: it must
// never panic, must answer with one of its errors or a template, and a
// template it accepts must only name paths inside the target.
func FuzzUnpack(f *testing.F) {
	for _, seed := range fuzzSeeds(f) {
		f.Add(seed)
		// The tar inside, for the compressing half of the target.
		if zr, err := gzip.NewReader(bytes.NewReader(seed)); err == nil {
			if raw, err := io.ReadAll(zr); err == nil {
				f.Add(raw)
			}
		}
	}
	lim := Limits{MaxTotal: 1 << 20, MaxFile: 256 << 10, MaxFiles: 64}
	f.Fuzz(func(t *testing.T, data []byte) {
		// Mutated gzip rarely inflates; fuzz the tar layer too by
		// compressing the input as it is.
		checkUnpack(t, data, lim)
		var gz bytes.Buffer
		zw := gzip.NewWriter(&gz)
		zw.Write(data)
		zw.Close()
		checkUnpack(t, gz.Bytes(), lim)
	})
}

func checkUnpack(t *testing.T, data []byte, lim Limits) {
	tpl, err := unpack(bytes.NewReader(data), lim)
	if err != nil {
		if !errors.Is(err, ErrNotPackage) && !errors.Is(err, ErrUnsafePackage) && !errors.Is(err, ErrTooLarge) &&
			!errors.Is(err, ErrInvalidManifest) && !errors.Is(err, ErrNoCompose) {
			t.Fatalf("unclassified error: %v", err)
		}
		return
	}
	for _, e := range tpl.entries {
		if checkRelPath(e.name) != nil {
			t.Fatalf("accepted the path %q", e.name)
		}
		if e.kind == kindSymlink && checkLinkTarget(e.name, e.link) != nil {
			t.Fatalf("accepted the link %s -> %s", e.name, e.link)
		}
		if int64(len(e.data)) > lim.MaxFile {
			t.Fatalf("accepted %s of %d bytes", e.name, len(e.data))
		}
	}
	_ = plan(tpl, map[string]string{})
}

// TestWriteFuzzSeeds keeps the checked-in corpus in step with fuzzSeeds
// (go test -run WriteFuzzSeeds -update-fuzz-seeds).
func TestWriteFuzzSeeds(t *testing.T) {
	dir := filepath.Join("testdata", "fuzz", "FuzzUnpack")
	for name, data := range fuzzSeeds(t) {
		p := filepath.Join(dir, "seed-"+name)
		want := fmt.Sprintf("go test fuzz v1\n[]byte(%q)\n", data)
		if *updateFuzzSeeds {
			if err := os.MkdirAll(dir, 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(p, []byte(want), 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		got, err := os.ReadFile(p)
		if err != nil || string(got) != want {
			t.Errorf("%s is missing or stale: run go test ./templates -run WriteFuzzSeeds -update-fuzz-seeds", p)
		}
	}
}
