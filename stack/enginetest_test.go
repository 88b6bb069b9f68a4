package stack

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	cerrdefs "github.com/containerd/errdefs"
	"github.com/moby/moby/client"
)

// The engine-test harness: every engine test connects to the real engine,
// works in its own project (dstest-<short>-<random>) and removes, when it
// ends, exactly what carries that project's label. Engine tests never skip:
// without an engine or a fixture image they fail and say what to do.

// fixtureHint says how to build a fixture image: scripts/fixtures.sh takes
// the image's short name (busybox, busybox-bash, loadgen, mariadb).
func fixtureHint(ref string) string {
	name := strings.TrimPrefix(ref, "local/")
	name, _, _ = strings.Cut(name, ":")
	return "build it with `bash scripts/fixtures.sh " + name + "`"
}

var (
	sharedEngine     *Engine
	sharedEngineErr  error
	sharedEngineOnce sync.Once
)

// testEngine returns a connection to the engine, or fails the test.
func testEngine(t testing.TB) *Engine {
	t.Helper()
	sharedEngineOnce.Do(func() {
		sharedEngine, sharedEngineErr = Connect(context.Background(), ConnectOptions{})
	})
	if sharedEngineErr != nil {
		t.Fatalf("engine tests need a running Docker engine: %v", sharedEngineErr)
	}
	return sharedEngine
}

// requireFixture fails the test when a fixture image is missing.
func requireFixture(t testing.TB, e *Engine, ref string) {
	t.Helper()
	_, err := e.api.ImageInspect(context.Background(), ref)
	if cerrdefs.IsNotFound(err) {
		t.Fatalf("fixture image %s is missing: %s", ref, fixtureHint(ref))
	}
	if err != nil {
		t.Fatalf("inspect fixture image %s: %v", ref, err)
	}
}

// testStack is one test's compose project on disk and on the engine.
type testStack struct {
	t    testing.TB
	e    *Engine
	Name string
	Dir  string
}

// newTestStack makes a project folder and a unique project name, and
// registers the removal of everything labelled with that name.
func newTestStack(t testing.TB, short string) *testStack {
	t.Helper()
	e := testEngine(t)
	s := &testStack{t: t, e: e, Name: "dstest-" + short + "-" + stackSuffix(t), Dir: t.TempDir()}
	t.Cleanup(func() { removeProject(t, e, s.Name) })
	return s
}

func stackSuffix(t testing.TB) string {
	b := make([]byte, 3)
	if _, err := rand.Read(b); err != nil {
		t.Fatal(err)
	}
	return hex.EncodeToString(b)
}

// write puts a file (compose.yaml, an env file...) in the project folder.
func (s *testStack) write(name, content string) {
	s.t.Helper()
	path := filepath.Join(s.Dir, name)
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		s.t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		s.t.Fatal(err)
	}
}

// load writes compose.yaml and loads the project under the test's name.
func (s *testStack) load(compose string) *Project {
	s.t.Helper()
	s.write("compose.yaml", compose)
	p, err := Load(context.Background(), LoadOptions{
		WorkingDir:  s.Dir,
		Files:       []string{filepath.Join(s.Dir, "compose.yaml")},
		ProjectName: s.Name,
	})
	if err != nil {
		s.t.Fatalf("load %s: %v", s.Name, err)
	}
	return p
}

// ps lists the project's containers or fails the test.
func (s *testStack) ps() []Container {
	s.t.Helper()
	cs, err := s.e.Ps(context.Background(), s.Name, PsOptions{All: true})
	if err != nil {
		s.t.Fatalf("ps: %v", err)
	}
	return cs
}

// removeProject removes the containers, networks and volumes carrying the
// project's label, and nothing else.
func removeProject(t testing.TB, e *Engine, project string) {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	label := make(client.Filters).Add("label", projectLabelFilter(project))
	cs, err := e.api.ContainerList(ctx, client.ContainerListOptions{All: true, Filters: label})
	if err != nil {
		t.Errorf("cleanup %s: list containers: %v", project, err)
		return
	}
	for _, c := range cs.Items {
		if _, err := e.api.ContainerRemove(ctx, c.ID, client.ContainerRemoveOptions{Force: true, RemoveVolumes: true}); err != nil && !cerrdefs.IsNotFound(err) {
			t.Errorf("cleanup %s: remove container %s: %v", project, c.ID, err)
		}
		e.removeAnonymousVolumes(ctx, c)
	}
	ns, err := e.api.NetworkList(ctx, client.NetworkListOptions{Filters: label})
	if err == nil {
		for _, n := range ns.Items {
			if _, err := e.api.NetworkRemove(ctx, n.ID, client.NetworkRemoveOptions{}); err != nil && !cerrdefs.IsNotFound(err) {
				t.Errorf("cleanup %s: remove network %s: %v", project, n.Name, err)
			}
		}
	}
	vs, err := e.api.VolumeList(ctx, client.VolumeListOptions{Filters: label})
	if err == nil {
		for _, v := range vs.Items {
			if _, err := e.api.VolumeRemove(ctx, v.Name, client.VolumeRemoveOptions{Force: true}); err != nil && !cerrdefs.IsNotFound(err) {
				t.Errorf("cleanup %s: remove volume %s: %v", project, v.Name, err)
			}
		}
	}
}

// stepLog records the progress of an operation for assertions.
type stepLog struct {
	mu    sync.Mutex
	steps []Progress
}

func (l *stepLog) fn() ProgressFunc {
	return func(p Progress) {
		l.mu.Lock()
		l.steps = append(l.steps, p)
		l.mu.Unlock()
	}
}

// count returns how many steps of that kind concern the service ("" for any).
func (l *stepLog) count(kind ProgressKind, service string) int {
	l.mu.Lock()
	defer l.mu.Unlock()
	n := 0
	for _, p := range l.steps {
		if p.Kind == kind && (service == "" || p.Service == service) {
			n++
		}
	}
	return n
}
