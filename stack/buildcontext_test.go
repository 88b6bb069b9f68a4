package stack

import (
	"archive/tar"
	"context"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/moby/moby/api/types/container"
	"github.com/moby/moby/client"
)

// contextFiles is a build context with a .dockerignore that uses the
// syntax's corners: comments, globs, a folder, "!" re-inclusion inside an
// excluded folder, a leading slash, and the Dockerfile itself.
var contextFiles = map[string]string{
	".dockerignore":         "# comment\n*.env\nnode_modules\n/logs/*\n!logs/keep.log\n**/*.tmp\nDockerfile\n",
	"Dockerfile":            "FROM local/busybox\nCOPY . /ctx\n",
	"app.go":                "package main\n",
	"secret.env":            "TOKEN=x\n",
	"node_modules/x/y.js":   "y\n",
	"logs/a.log":            "a\n",
	"logs/keep.log":         "keep\n",
	"docs/README.md":        "docs\n",
	"docs/deep/scratch.tmp": "tmp\n",
}

func writeTree(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, content := range files {
		path := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// tarEntries reads a whole archive into name -> content (folders and
// links map to "").
func tarEntries(t *testing.T, r io.Reader) map[string]string {
	t.Helper()
	out := map[string]string{}
	tr := tar.NewReader(r)
	for {
		hdr, err := tr.Next()
		if err == io.EOF {
			return out
		}
		if err != nil {
			t.Fatal(err)
		}
		if hdr.Uid != 0 || hdr.Gid != 0 {
			t.Errorf("%s owned by %d:%d, want root", hdr.Name, hdr.Uid, hdr.Gid)
		}
		b, _ := io.ReadAll(tr)
		out[hdr.Name] = string(b)
	}
}

func TestArchiveBuildContextAddsOutsideDockerfile(t *testing.T) {
	dir := writeTree(t, map[string]string{"app.go": "package main\n"})
	a, err := archiveBuildContext(dir, dockerfileSource{content: []byte("FROM x\n"), name: "dockerfile_inline"})
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	got := tarEntries(t, a)
	if !strings.HasPrefix(a.Dockerfile, ".dockerfile.") || got[a.Dockerfile] != "FROM x\n" {
		t.Errorf("inline Dockerfile: name %q, archive %q", a.Dockerfile, got)
	}
	// The generated name is ignored so COPY . never copies it.
	if !strings.Contains(got[".dockerignore"], a.Dockerfile) {
		t.Errorf(".dockerignore %q does not hide %s", got[".dockerignore"], a.Dockerfile)
	}
}

func TestBuildHonoursDockerignore(t *testing.T) {
	e := buildTestEngine(t)
	ctx := context.Background()
	name := buildTestProjectName("ignore")
	files := map[string]string{}
	for k, v := range contextFiles {
		files[k] = v
	}
	delete(files, "Dockerfile")
	p := writeBuildProject(t, name, `
services:
  ctx:
    build:
      context: .
      dockerfile: Dockerfile
  inline:
    build:
      context: .
      dockerfile_inline: |
        FROM local/busybox
        COPY . /ctx
`, files)
	if err := os.WriteFile(filepath.Join(p.WorkingDir, "Dockerfile"), []byte(contextFiles["Dockerfile"]), 0o644); err != nil {
		t.Fatal(err)
	}
	var log progressLog
	removeBuiltAfter(t, e, name, &log, name+"-ctx", name+"-inline")
	if err := e.Build(ctx, p, BuildOptions{Progress: log.report}); err != nil {
		t.Fatal(err)
	}
	// compose.yaml is in the context too. The engine drops the Dockerfile
	// (and the generated name of the inline one) because .dockerignore lists
	// them; .dockerignore itself stays, as with docker build, since it does
	// not list itself.
	want := []string{".dockerignore", "app.go", "compose.yaml", "docs/", "docs/README.md", "docs/deep/", "logs/", "logs/keep.log"}
	for _, svc := range []string{"ctx", "inline"} {
		if got := listImageDir(t, e, name, name+"-"+svc, "/ctx"); !reflect.DeepEqual(got, want) {
			t.Errorf("%s: /ctx holds\n %q\nwant %q", svc, got, want)
		}
	}
}

// listImageDir lists a folder of an image, relative to it, sorted.
func listImageDir(t *testing.T, e *Engine, project, image, dir string) []string {
	t.Helper()
	ctx := context.Background()
	c, err := e.api.ContainerCreate(ctx, client.ContainerCreateOptions{
		Image:  image,
		Config: &container.Config{Labels: map[string]string{"com.docker.compose.project": project}},
	})
	if err != nil {
		t.Fatalf("create container from %s: %v", image, err)
	}
	defer e.api.ContainerRemove(ctx, c.ID, client.ContainerRemoveOptions{Force: true})
	res, err := e.api.CopyFromContainer(ctx, c.ID, client.CopyFromContainerOptions{SourcePath: dir})
	if err != nil {
		t.Fatalf("copy %s from %s: %v", dir, image, err)
	}
	defer res.Content.Close()
	var names []string
	base := strings.TrimPrefix(dir, "/") + "/"
	for name := range tarEntries(t, res.Content) {
		if rel := strings.TrimPrefix(name, base); rel != name && rel != "" {
			names = append(names, rel)
		}
	}
	slices.Sort(names)
	return names
}
