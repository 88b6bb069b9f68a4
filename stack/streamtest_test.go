package stack

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/moby/moby/api/types/container"
	"github.com/moby/moby/client"
)

// Helpers for the stream tests (logs, stats, events, exec): they create
// containers straight through the engine API, labelled as a Compose project
// of their own, and remove exactly those containers when the test ends.

const fixturesHint = "build the fixture images with `bash scripts/fixtures.sh` (from the repository root)"

// streamProject is a throwaway Compose project on the real engine.
type streamProject struct {
	e    *Engine
	name string

	mu sync.Mutex
	n  int
}

// newStreamProject connects to the engine and registers the removal of
// every container labelled with a fresh project name.
func newStreamProject(tb testing.TB) *streamProject {
	tb.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	e, err := Connect(ctx, ConnectOptions{})
	if err != nil {
		tb.Fatalf("engine tests need a running Docker engine: %v", err)
	}
	p := &streamProject{e: e, name: "dstest-streams-" + randomSuffix(tb)}
	tb.Cleanup(func() {
		p.removeAll(tb)
		e.Close()
	})
	return p
}

func randomSuffix(tb testing.TB) string {
	b := make([]byte, 4)
	if _, err := rand.Read(b); err != nil {
		tb.Fatal(err)
	}
	return hex.EncodeToString(b)
}

func (p *streamProject) removeAll(tb testing.TB) {
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	list, err := p.e.api.ContainerList(ctx, client.ContainerListOptions{All: true, Filters: projectFilter(p.name)})
	if err != nil {
		tb.Errorf("cleanup of %s: list: %v", p.name, err)
		return
	}
	for _, c := range list.Items {
		_, err := p.e.api.ContainerRemove(ctx, c.ID, client.ContainerRemoveOptions{Force: true, RemoveVolumes: true})
		if err != nil {
			tb.Errorf("cleanup of %s: remove %s: %v", p.name, c.ID[:12], err)
		}
	}
}

// ctrSpec is what a test container needs; the zero value is a busybox
// shell that exits at once.
type ctrSpec struct {
	Service     string
	Image       string // default local/busybox
	Cmd         []string
	TTY         bool
	MemLimit    int64
	Healthcheck *container.HealthConfig
	LogMaxSize  string
	NoStart     bool
}

// run creates (and unless NoStart, starts) a container of the project and
// returns its ID.
func (p *streamProject) run(tb testing.TB, s ctrSpec) string {
	tb.Helper()
	if s.Image == "" {
		s.Image = "local/busybox"
	}
	if s.Service == "" {
		s.Service = "app"
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	requireImage(tb, p.e, s.Image)
	p.mu.Lock()
	p.n++
	n := p.n
	p.mu.Unlock()
	logCfg := container.LogConfig{Type: "json-file"}
	if s.LogMaxSize != "" {
		logCfg.Config = map[string]string{"max-size": s.LogMaxSize, "max-file": "2"}
	}
	res, err := p.e.api.ContainerCreate(ctx, client.ContainerCreateOptions{
		Name: fmt.Sprintf("%s-%s-%d", p.name, s.Service, n),
		Config: &container.Config{
			Image:       s.Image,
			Cmd:         s.Cmd,
			Tty:         s.TTY,
			Healthcheck: s.Healthcheck,
			Labels: map[string]string{
				labelProject: p.name,
				labelService: s.Service,
				labelOneOff:  "False",
			},
		},
		HostConfig: &container.HostConfig{
			LogConfig: logCfg,
			Resources: container.Resources{Memory: s.MemLimit},
		},
	})
	if err != nil {
		tb.Fatalf("create %s container: %v", s.Service, err)
	}
	if !s.NoStart {
		p.start(tb, res.ID)
	}
	return res.ID
}

func (p *streamProject) start(tb testing.TB, id string) {
	tb.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if _, err := p.e.api.ContainerStart(ctx, id, client.ContainerStartOptions{}); err != nil {
		tb.Fatalf("start %s: %v", id[:12], err)
	}
}

// wait blocks until the container has exited.
func (p *streamProject) wait(tb testing.TB, id string) {
	tb.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	res := p.e.api.ContainerWait(ctx, id, client.ContainerWaitOptions{Condition: container.WaitConditionNotRunning})
	select {
	case <-res.Result:
	case err := <-res.Error:
		tb.Fatalf("wait for %s: %v", id[:12], err)
	}
}

// requireImage fails the test, naming the command that builds the image,
// when a fixture image is missing.
func requireImage(tb testing.TB, e *Engine, ref string) {
	tb.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if _, err := e.api.ImageInspect(ctx, ref); err != nil {
		tb.Fatalf("fixture image %s is missing (%v): %s", ref, err, fixturesHint)
	}
}
