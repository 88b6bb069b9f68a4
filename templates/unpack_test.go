package templates

import (
	"archive/tar"
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestUnpackAcceptsValidPackage(t *testing.T) {
	entries := append(validEntries(),
		tarEntry{name: "./app/", typ: tar.TypeDir},
		tarEntry{name: "app/run.sh", typ: tar.TypeReg, body: "#!/bin/sh\n", mode: 0o755},
		tarEntry{name: "app/copy.sh", typ: tar.TypeLink, link: "app/run.sh"},
		tarEntry{name: "app/current", typ: tar.TypeSymlink, link: "run.sh"},
		tarEntry{name: "up", typ: tar.TypeSymlink, link: "app/../compose.yaml"},
	)
	tpl, err := unpack(bytes.NewReader(makeTGZ(t, entries)), DefaultLimits)
	if err != nil {
		t.Fatalf("unpack: %v", err)
	}
	if tpl.Manifest.Name != "mini" || tpl.ComposeFile != "compose.yaml" {
		t.Fatalf("got manifest %+v compose %q, want mini and compose.yaml", tpl.Manifest, tpl.ComposeFile)
	}
	got := strings.Join(tpl.files(), " ")
	want := ".env app app/copy.sh app/current app/run.sh compose.yaml " + ManifestFile + " up"
	if got != want {
		t.Fatalf("files: got %q, want %q", got, want)
	}
}

// TestUnpackRejects builds hostile and broken packages with archive/tar and
// checks each is refused with the right error.
func TestUnpackRejects(t *testing.T) {
	small := Limits{MaxTotal: 1 << 20, MaxFile: 64 << 10, MaxFiles: 20}
	cases := []struct {
		name    string
		entries []tarEntry
		lim     Limits
		want    error
		text    string
	}{
		{"dot-dot path", []tarEntry{{name: "../evil", typ: tar.TypeReg, body: "x"}}, small, ErrUnsafePackage, "'..'"},
		{"dot-dot inside path", []tarEntry{{name: "a/../../evil", typ: tar.TypeReg, body: "x"}}, small, ErrUnsafePackage, "'..'"},
		{"absolute path", []tarEntry{{name: "/etc/evil", typ: tar.TypeReg, body: "x"}}, small, ErrUnsafePackage, "absolute"},
		{"windows drive path", []tarEntry{{name: "C:/evil", typ: tar.TypeReg, body: "x"}}, small, ErrUnsafePackage, "absolute"},
		{"backslash path", []tarEntry{{name: `..\evil`, typ: tar.TypeReg, body: "x"}}, small, ErrUnsafePackage, "backslash"},
		{"symlink outside", []tarEntry{{name: "l", typ: tar.TypeSymlink, link: "../outside"}}, small, ErrUnsafePackage, "outside"},
		{"symlink absolute", []tarEntry{{name: "l", typ: tar.TypeSymlink, link: "/etc/passwd"}}, small, ErrUnsafePackage, "absolute"},
		{"symlink deep outside", []tarEntry{{name: "a/b/l", typ: tar.TypeSymlink, link: "../../../x"}}, small, ErrUnsafePackage, "outside"},
		{"write through symlink", []tarEntry{
			{name: "d", typ: tar.TypeSymlink, link: "."},
			{name: "d/x", typ: tar.TypeReg, body: "x"}}, small, ErrUnsafePackage, "below the symlink"},
		{"symlink through symlink", []tarEntry{
			{name: "a", typ: tar.TypeSymlink, link: "."},
			{name: "b", typ: tar.TypeSymlink, link: "a/.."}}, small, ErrUnsafePackage, "goes through the symlink"},
		{"hard link outside", []tarEntry{{name: "h", typ: tar.TypeLink, link: "../../etc/passwd"}}, small, ErrUnsafePackage, "hard link"},
		{"hard link absolute", []tarEntry{{name: "h", typ: tar.TypeLink, link: "/etc/passwd"}}, small, ErrUnsafePackage, "hard link"},
		{"hard link to nothing", []tarEntry{{name: "h", typ: tar.TypeLink, link: "missing"}}, small, ErrUnsafePackage, "hard link"},
		{"character device", []tarEntry{{name: "dev", typ: tar.TypeChar}}, small, ErrUnsafePackage, "character device"},
		{"block device", []tarEntry{{name: "dev", typ: tar.TypeBlock}}, small, ErrUnsafePackage, "block device"},
		{"fifo", []tarEntry{{name: "pipe", typ: tar.TypeFifo}}, small, ErrUnsafePackage, "fifo"},
		{"duplicate name", []tarEntry{
			{name: "x", typ: tar.TypeReg, body: "1"},
			{name: "./x", typ: tar.TypeReg, body: "2"}}, small, ErrUnsafePackage, "twice"},
		{"file below file", []tarEntry{
			{name: "x", typ: tar.TypeReg, body: "1"},
			{name: "x/y", typ: tar.TypeReg, body: "2"}}, small, ErrUnsafePackage, "below the file"},
		{"env and example collide", []tarEntry{
			{name: "db.env", typ: tar.TypeReg, body: "A=1"},
			{name: "db.env.example", typ: tar.TypeReg, body: "A="}}, small, ErrUnsafePackage, "both be written"},
		{"file over the per-file limit", []tarEntry{{name: "big", typ: tar.TypeReg, large: 65<<10 + 1}}, small, ErrTooLarge, "more than"},
		// A header that lies about the size: the bytes read are what count.
		{"bomb over the total", []tarEntry{
			{name: "a", typ: tar.TypeReg, large: 60 << 10}, {name: "b", typ: tar.TypeReg, large: 60 << 10},
			{name: "c", typ: tar.TypeReg, large: 60 << 10}}, Limits{MaxTotal: 100 << 10, MaxFile: 64 << 10, MaxFiles: 20}, ErrTooLarge, "decompressed"},
		{"too many entries", manyEntries(25), small, ErrTooLarge, "entries"},
		{"missing manifest", []tarEntry{{name: "compose.yaml", typ: tar.TypeReg, body: minimalCompose}}, small, ErrInvalidManifest, "missing"},
		{"invalid manifest", []tarEntry{
			{name: ManifestFile, typ: tar.TypeReg, body: "name: Bad Name!\nversion: 1\n"},
			{name: "compose.yaml", typ: tar.TypeReg, body: minimalCompose}}, small, ErrInvalidManifest, "name"},
		{"manifest with unknown key", []tarEntry{
			{name: ManifestFile, typ: tar.TypeReg, body: "name: x\nversion: 1\nscript: rm -rf /\n"},
			{name: "compose.yaml", typ: tar.TypeReg, body: minimalCompose}}, small, ErrInvalidManifest, "script"},
		{"no compose file", []tarEntry{{name: ManifestFile, typ: tar.TypeReg, body: minimalManifest}}, small, ErrNoCompose, "compose"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			entries := c.entries
			if !errors.Is(c.want, ErrInvalidManifest) && !errors.Is(c.want, ErrNoCompose) {
				entries = append(validEntries(), c.entries...)
			}
			_, err := unpack(bytes.NewReader(makeTGZ(t, entries)), c.lim)
			if !errors.Is(err, c.want) {
				t.Fatalf("got %v, want %v", err, c.want)
			}
			if !strings.Contains(err.Error(), c.text) {
				t.Fatalf("error %q does not say %q", err, c.text)
			}
		})
	}
}

func manyEntries(n int) []tarEntry {
	var out []tarEntry
	for i := range n {
		out = append(out, tarEntry{name: "f" + strings.Repeat("x", i), typ: tar.TypeReg, body: "x"})
	}
	return out
}

func TestUnpackRejectsBombByBytesRead(t *testing.T) {
	// 64 MiB of zeros compress to ~64 KiB: the limit must trip on what is
	// decompressed, long before the whole stream is inflated.
	data := makeTGZ(t, append(validEntries(), tarEntry{name: "zeros", typ: tar.TypeReg, large: 64 << 20}))
	if len(data) > 1<<20 {
		t.Fatalf("the bomb is %d bytes compressed; want a small one", len(data))
	}
	_, err := unpack(bytes.NewReader(data), Limits{MaxTotal: 8 << 20, MaxFile: 128 << 20, MaxFiles: 10})
	if !errors.Is(err, ErrTooLarge) {
		t.Fatalf("got %v, want ErrTooLarge", err)
	}
}

func TestUnpackRejectsNonGzip(t *testing.T) {
	_, err := unpack(strings.NewReader("PK\x03\x04 a zip file"), DefaultLimits)
	if !errors.Is(err, ErrNotPackage) {
		t.Fatalf("got %v, want ErrNotPackage", err)
	}
}

// TestInitRejectsComposeThatDoesNotLoad checks that a package whose compose
// file is broken leaves nothing behind: not the target, not the staging
// folder.
func TestInitRejectsComposeThatDoesNotLoad(t *testing.T) {
	entries := []tarEntry{
		{name: ManifestFile, typ: tar.TypeReg, body: minimalManifest},
		{name: "compose.yaml", typ: tar.TypeReg, body: "services:\n  web:\n    image: x\n    mem_limit: [not, a, size]\n"},
		{name: "data/seed.sql", typ: tar.TypeReg, body: "SELECT 1;"},
	}
	tpl, err := unpack(bytes.NewReader(makeTGZ(t, entries)), DefaultLimits)
	if err != nil {
		t.Fatalf("unpack: %v", err)
	}
	parent := t.TempDir()
	_, err = Init(context.Background(), tpl, filepath.Join(parent, "stack"), InitOptions{})
	if err == nil || !strings.Contains(err.Error(), "does not load") {
		t.Fatalf("got %v, want a 'does not load' error", err)
	}
	if left, _ := os.ReadDir(parent); len(left) != 0 {
		t.Fatalf("init left %v in the parent folder; want nothing", left)
	}
}

// TestInitNeverWritesThroughTargetLinks checks a link planted in the target
// folder cannot redirect the template's files, even with Force.
func TestInitNeverWritesThroughTargetLinks(t *testing.T) {
	outside := t.TempDir()
	target := t.TempDir()
	if err := os.Symlink(outside, filepath.Join(target, "data")); err != nil {
		t.Fatal(err)
	}
	entries := append(validEntries(), tarEntry{name: "data/seed.sql", typ: tar.TypeReg, body: "SELECT 1;"})
	tpl, err := unpack(bytes.NewReader(makeTGZ(t, entries)), DefaultLimits)
	if err != nil {
		t.Fatal(err)
	}
	_, err = Init(context.Background(), tpl, target, InitOptions{Force: true})
	if err == nil || !strings.Contains(err.Error(), "symlink") {
		t.Fatalf("got %v, want a refusal to write through the symlink", err)
	}
	if got := treeOf(t, outside); len(got) != 1 {
		t.Fatalf("the folder outside holds %v; want it empty", keys(got))
	}
}

func TestUnpackRejectsTerminalEscapes(t *testing.T) {
	for name, entries := range map[string][]tarEntry{
		"escape in a name":   append(validEntries(), tarEntry{name: "a\x1b]0;pwned\x07", typ: tar.TypeReg, body: "x"}),
		"newline in a name":  append(validEntries(), tarEntry{name: "a\nb", typ: tar.TypeReg, body: "x"}),
		"escape in a target": append(validEntries(), tarEntry{name: "l", typ: tar.TypeSymlink, link: "x\x1b[2J"}),
		"escape in the manifest": {
			{name: ManifestFile, typ: tar.TypeReg, body: "name: x\nversion: 1\ndescription: \"hi\\e[2J\"\n"},
			{name: "compose.yaml", typ: tar.TypeReg, body: minimalCompose}},
	} {
		t.Run(name, func(t *testing.T) {
			_, err := unpack(bytes.NewReader(makeTGZ(t, entries)), DefaultLimits)
			if err == nil || !strings.Contains(err.Error(), "control character") {
				t.Fatalf("got %v, want a control character error", err)
			}
		})
	}
}
