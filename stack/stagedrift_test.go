package stack

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestStageDriftAfterBuildTarget is issue 9's trap: `build --target prod`
// re-tags the service image, and the next up runs prod although the file
// says debug. The image and container now carry the stage, ps shows it,
// and up says the two differ.
func TestStageDriftAfterBuildTarget(t *testing.T) {
	s := newTestStack(t, "drift")
	for _, f := range []string{"Dockerfile"} {
		b, err := os.ReadFile(filepath.Join("testdata", "build-target", f))
		if err != nil {
			t.Fatal(err)
		}
		s.write(f, string(b))
	}
	p := s.load("services:\n  api:\n    build:\n      context: .\n      target: debug\n")
	var log progressLog
	removeBuiltAfter(t, s.e, s.Name, &log, s.Name+"-api")
	// Cleanups run last-registered first: the container goes before the
	// image it uses.
	t.Cleanup(func() { removeProject(t, s.e, s.Name) })
	ctx := context.Background()

	if got := ConfiguredStage(p, "api"); got != "debug" {
		t.Errorf("ConfiguredStage: got %q, want debug", got)
	}
	if err := s.e.Build(ctx, p, BuildOptions{Services: []string{"api"}, Target: "prod", Progress: log.report}); err != nil {
		t.Fatal(err)
	}
	var steps stepLog
	if err := s.e.Up(ctx, p, UpOptions{Progress: steps.fn()}); err != nil {
		t.Fatal(err)
	}
	warned := false
	steps.mu.Lock()
	for _, st := range steps.steps {
		if st.Kind == ProgressWarning && strings.Contains(st.Text, "built from stage prod but the compose file builds debug") {
			warned = true
		}
	}
	steps.mu.Unlock()
	if !warned {
		t.Errorf("up gave no warning that api runs prod while the file says debug: %+v", steps.steps)
	}
	cs := s.ps()
	if len(cs) != 1 || cs[0].Stage != "prod" {
		t.Fatalf("ps: got %+v, want one api container running stage prod", cs)
	}

	// Built again as the file says, the warning goes away.
	if err := s.e.Build(ctx, p, BuildOptions{Progress: log.report}); err != nil {
		t.Fatal(err)
	}
	steps = stepLog{}
	if err := s.e.Up(ctx, p, UpOptions{Progress: steps.fn()}); err != nil {
		t.Fatal(err)
	}
	if n := steps.count(ProgressWarning, "api"); n != 0 {
		t.Errorf("up after building debug: got %d warnings, want none: %+v", n, steps.steps)
	}
	if cs := s.ps(); len(cs) != 1 || cs[0].Stage != "debug" {
		t.Errorf("ps after the rebuild: got %+v, want api running stage debug", cs)
	}
}
