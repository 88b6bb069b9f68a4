package stack

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/moby/moby/client"
)

// pullLog keeps the pull steps of an operation.
func pullSteps(l *stepLog, kind ProgressKind, image string) []Progress {
	l.mu.Lock()
	defer l.mu.Unlock()
	var out []Progress
	for _, p := range l.steps {
		if p.Kind == kind && p.Subject == image {
			out = append(out, p)
		}
	}
	return out
}

// imageTagged is when the engine last tagged ref (zero when absent).
func imageTagged(t *testing.T, e *Engine, ref string) (time.Time, bool) {
	t.Helper()
	local, err := e.inspectLocal(context.Background(), []string{ref})
	if err != nil {
		t.Fatal(err)
	}
	li, ok := local[ref]
	return li.Tagged, ok
}

func TestPullMultiLayerReportsEveryLayer(t *testing.T) {
	e := testEngine(t)
	reg := startRegistry(t)
	removeImagesAtCleanup(t, e, reg.Host)
	ref, _ := reg.pushRandom(t, e, "multi/app:v1", time.Now(), 3<<20, 2<<20, 1<<20)
	s := newTestStack(t, "pullmulti")
	p := s.load(fmt.Sprintf("services:\n  app:\n    image: %s\n    command: [\"sleep\", \"60\"]\n", ref))
	var log stepLog
	if err := e.Pull(context.Background(), p, PullOptions{Progress: log.fn()}); err != nil {
		t.Fatalf("pull: %v", err)
	}
	pulled := pullSteps(&log, ProgressPulled, ref)
	if len(pulled) != 1 {
		t.Fatalf("got %d pulled steps for %s, want 1 (steps: %+v)", len(pulled), ref, log.steps)
	}
	final := pulled[0].Pull
	layers := reg.layerDigests(t, ref)
	if len(final.Layers) != len(layers) {
		t.Errorf("got %d layers in the progress, want %d", len(final.Layers), len(layers))
	}
	// Every layer reported its bytes while downloading, and the image's
	// sum reached its total.
	seen := map[string]bool{}
	for _, st := range pullSteps(&log, ProgressPulling, ref) {
		if st.Pull.Layer >= 0 && st.Pull.Layers[st.Pull.Layer].Status == "Downloading" && st.Pull.Layers[st.Pull.Layer].Total > 0 {
			seen[st.Pull.Layers[st.Pull.Layer].ID] = true
		}
	}
	for _, l := range final.Layers {
		if !seen[l.ID] && l.Size > 100<<10 {
			t.Errorf("layer %s (%d bytes) never reported download bytes", l.ID, l.Size)
		}
		if !l.Done {
			t.Errorf("layer %s not done at the end: %+v", l.ID, l)
		}
	}
	if final.Total < 6<<20 || final.Current != final.Total || final.Percent() != 100 {
		t.Errorf("final image bytes %d/%d (%d%%), want all of at least 6 MiB", final.Current, final.Total, final.Percent())
	}
	if _, ok := imageTagged(t, e, ref); !ok {
		t.Errorf("%s is not present after the pull", ref)
	}
}

func TestPullMissingTagNamesImageAndRegistry(t *testing.T) {
	e := testEngine(t)
	reg := startRegistry(t)
	removeImagesAtCleanup(t, e, reg.Host)
	reg.pushRandom(t, e, "there/app:v1", time.Now(), 1<<10)
	s := newTestStack(t, "pullmissing")
	ref := reg.Host + "/there/app:v9"
	p := s.load(fmt.Sprintf("services:\n  app:\n    image: %s\n", ref))
	var log stepLog
	err := e.Up(context.Background(), p, UpOptions{Progress: log.fn()})
	t.Logf("error: %v", err)
	if !errors.Is(err, ErrImageNotFound) {
		t.Fatalf("got %v, want ErrImageNotFound", err)
	}
	for _, want := range []string{ref, reg.Host, "check the name and the tag"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q does not name %q", err, want)
		}
	}
	if n := len(pullSteps(&log, ProgressError, ref)); n != 1 {
		t.Errorf("got %d error steps for %s, want 1", n, ref)
	}
	assertNothingCreated(t, s)
}

// assertNothingCreated fails when the project has any container, network
// or volume.
func assertNothingCreated(t *testing.T, s *testStack) {
	t.Helper()
	if cs := s.ps(); len(cs) != 0 {
		t.Errorf("got %d containers after a failed pull, want none", len(cs))
	}
	nets, err := s.e.api.NetworkList(context.Background(), networkListByProject(s.Name))
	if err != nil {
		t.Fatal(err)
	}
	if len(nets.Items) != 0 {
		t.Errorf("got %d networks after a failed pull, want none", len(nets.Items))
	}
}

func networkListByProject(project string) client.NetworkListOptions {
	return client.NetworkListOptions{Filters: make(client.Filters).Add("label", projectLabelFilter(project))}
}
