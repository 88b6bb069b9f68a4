package stack

import (
	"archive/tar"
	"context"
	"crypto/rand"
	"encoding/hex"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/moby/moby/api/types/container"
	"github.com/moby/moby/client"
)

// buildTestEngine connects to the local engine and checks the fixture image
// the builds start from; a missing fixture fails with the command that
// makes it.
func buildTestEngine(t *testing.T) *Engine {
	t.Helper()
	ctx := context.Background()
	e, err := Connect(ctx, ConnectOptions{})
	if err != nil {
		t.Fatalf("connect: %v", err)
	}
	t.Cleanup(func() { e.Close() })
	if _, err := e.ImageInfo(ctx, "local/busybox"); err != nil {
		t.Fatalf("fixture image local/busybox is missing (build it with `bash scripts/fixtures.sh busybox`): %v", err)
	}
	return e
}

// buildTestProjectName is a project name no other test or engineer uses.
func buildTestProjectName(short string) string {
	b := make([]byte, 4)
	rand.Read(b)
	return "dstest-" + short + "-" + hex.EncodeToString(b)
}

// removeBuiltAfter removes, when the test ends, exactly the images the
// test's builds made: the tagged ones, the project's dangling ones and the
// stage images the build output names, each with the untagged ancestors
// created since the test started. Removal is never forced, so an image
// that anything else uses or tags stays.
func removeBuiltAfter(t *testing.T, e *Engine, project string, log *progressLog, refs ...string) {
	start := time.Now().Add(-time.Second).Unix()
	t.Cleanup(func() {
		ctx := context.Background()
		var leaves []string
		for _, ref := range refs {
			if info, err := e.ImageInfo(ctx, ref); err == nil {
				e.api.ImageRemove(ctx, ref, client.ImageRemoveOptions{})
				leaves = append(leaves, info.ID)
			}
		}
		if log != nil {
			for _, line := range log.texts(ProgressOutput) {
				if id, ok := strings.CutPrefix(line, "image "); ok {
					leaves = append(leaves, id)
				}
			}
		}
		dangling, err := e.api.ImageList(ctx, client.ImageListOptions{Filters: make(client.Filters).
			Add("dangling", "true").Add("label", "com.docker.compose.project="+project)})
		if err == nil {
			for _, im := range dangling.Items {
				leaves = append(leaves, im.ID)
			}
		}
		removeImageChains(ctx, e, start, leaves)
	})
}

// removeImageChains removes each image and then its parents, stopping at
// the first one that is older than since or that the engine will not
// remove unforced (tagged, used, or parent of something else).
func removeImageChains(ctx context.Context, e *Engine, since int64, leaves []string) {
	all, err := e.api.ImageList(ctx, client.ImageListOptions{All: true})
	if err != nil {
		return
	}
	parent, created := map[string]string{}, map[string]int64{}
	for _, im := range all.Items {
		parent[im.ID], created[im.ID] = im.ParentID, im.Created
	}
	for _, id := range leaves {
		for id != "" && created[id] >= since {
			if _, err := e.api.ImageRemove(ctx, id, client.ImageRemoveOptions{}); err != nil {
				break
			}
			id = parent[id]
		}
	}
}

// readImageFile reads one file of an image by creating (not starting) a
// container from it, as a user's `docker cp` would.
func readImageFile(t *testing.T, e *Engine, project, image, path string) (string, error) {
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
	res, err := e.api.CopyFromContainer(ctx, c.ID, client.CopyFromContainerOptions{SourcePath: path})
	if err != nil {
		return "", err
	}
	defer res.Content.Close()
	tr := tar.NewReader(res.Content)
	if _, err := tr.Next(); err != nil {
		t.Fatalf("read %s of %s: %v", path, image, err)
	}
	b, err := io.ReadAll(tr)
	if err != nil {
		t.Fatalf("read %s of %s: %v", path, image, err)
	}
	return string(b), nil
}

// progressLog collects progress reports from the build's goroutine.
type progressLog struct {
	mu    sync.Mutex
	items []Progress
	times []time.Time
}

func (l *progressLog) report(p Progress) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.items = append(l.items, p)
	l.times = append(l.times, time.Now())
}

func (l *progressLog) texts(kind ProgressKind) []string {
	l.mu.Lock()
	defer l.mu.Unlock()
	var out []string
	for _, p := range l.items {
		if p.Kind == kind {
			out = append(out, p.Text)
		}
	}
	return out
}

// writeBuildProject writes a compose file (and extra files) into a fresh folder
// and loads it under a project name of its own.
func writeBuildProject(t *testing.T, name, compose string, files map[string]string) *Project {
	t.Helper()
	dir := t.TempDir()
	files["compose.yaml"] = compose
	for name, content := range files {
		path := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	p, err := Load(context.Background(), LoadOptions{WorkingDir: dir, Files: []string{filepath.Join(dir, "compose.yaml")}, ProjectName: name})
	if err != nil {
		t.Fatal(err)
	}
	return p
}
