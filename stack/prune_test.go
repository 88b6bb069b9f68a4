package stack

import (
	"archive/tar"
	"bytes"
	"context"
	"io"
	"os"
	"path/filepath"
	"testing"

	"github.com/moby/moby/client"
)

// importDangling imports two one-file images under ref, with the given
// Dockerfile-style changes, so the first ends up dangling; it returns the
// dangling image's ID and removes both images when the test ends.
func importDangling(t *testing.T, e *Engine, ref string, changes ...string) string {
	t.Helper()
	ctx := context.Background()
	var ids []string
	for _, content := range []string{"first", "second"} {
		var buf bytes.Buffer
		tw := tar.NewWriter(&buf)
		tw.WriteHeader(&tar.Header{Name: "f", Mode: 0o644, Size: int64(len(content))})
		tw.Write([]byte(content))
		tw.Close()
		res, err := e.api.ImageImport(ctx, client.ImageImportSource{Source: &buf, SourceName: "-"}, ref, client.ImageImportOptions{Changes: changes})
		if err != nil {
			t.Fatalf("import %s: %v", ref, err)
		}
		io.Copy(io.Discard, res)
		res.Close()
		info, err := e.ImageInfo(ctx, ref)
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, info.ID)
	}
	t.Cleanup(func() {
		for _, id := range ids {
			e.api.ImageRemove(context.Background(), id, client.ImageRemoveOptions{Force: true})
		}
	})
	return ids[0]
}

func TestPruneImagesRemovesOnlyTheProjectsDangling(t *testing.T) {
	e := buildTestEngine(t)
	ctx := context.Background()
	name := buildTestProjectName("prune")
	// The RUN lines name the project: the classic builder would otherwise
	// share the layer with the same test running elsewhere on the engine,
	// and pruning would free nothing.
	p := writeBuildProject(t, name, "services:\n  app:\n    build: .\n", map[string]string{
		"Dockerfile": "FROM local/busybox\nRUN echo v1 " + name + " > /v\n",
	})
	tag := name + "-app"
	var log progressLog
	removeBuiltAfter(t, e, name, &log, tag)
	unlabelled := importDangling(t, e, name+"-unlabelled:latest")
	otherProject := importDangling(t, e, name+"-other:latest", "LABEL com.docker.compose.project="+name+"-other")

	if err := e.Build(ctx, p, BuildOptions{Progress: log.report}); err != nil {
		t.Fatal(err)
	}
	old, err := e.ImageInfo(ctx, tag)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(p.WorkingDir, "Dockerfile"), []byte("FROM local/busybox\nRUN echo v2 "+name+" > /v\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := e.Build(ctx, p, BuildOptions{Progress: log.report}); err != nil {
		t.Fatal(err)
	}
	current, err := e.ImageInfo(ctx, tag)
	if err != nil || current.ID == old.ID {
		t.Fatalf("rebuild: got image %s (%v), want one other than %s", current.ID, err, old.ID)
	}

	planned, estimate, err := e.PruneImages(ctx, name, PruneOptions{DryRun: true})
	if err != nil {
		t.Fatal(err)
	}
	if len(planned) != 1 || planned[0].ID != old.ID || estimate != old.Size {
		t.Errorf("dry run: got %+v (%d bytes), want only %s (%d bytes)", planned, estimate, old.ID, old.Size)
	}
	if _, err := e.ImageInfo(ctx, old.ID); err != nil {
		t.Errorf("dry run removed %s: %v", old.ID, err)
	}

	removed, reclaimed, err := e.PruneImages(ctx, name, PruneOptions{})
	if err != nil {
		t.Fatal(err)
	}
	// The bytes are the engine's count: layers BuildKit built stay in its
	// build cache (docker builder prune), so it may count none.
	if len(removed) != 1 || removed[0].ID != old.ID || reclaimed < 0 {
		t.Errorf("prune: got %+v, %d bytes; want only %s", removed, reclaimed, old.ID)
	}
	if _, err := e.ImageInfo(ctx, old.ID); err == nil {
		t.Errorf("the rebuild's leftover %s is still there", old.ID)
	}
	for what, id := range map[string]string{"current image": current.ID, "unlabelled dangling image": unlabelled, "other project's dangling image": otherProject} {
		if _, err := e.ImageInfo(ctx, id); err != nil {
			t.Errorf("prune removed the %s %s: %v", what, id, err)
		}
	}
	if again, _, err := e.PruneImages(ctx, name, PruneOptions{}); err != nil || len(again) != 0 {
		t.Errorf("second prune: got %+v, %v; want nothing to do", again, err)
	}
}
