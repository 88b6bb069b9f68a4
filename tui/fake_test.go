package tui

import (
	"context"
	"fmt"
	"sync"
	"time"

	"github.com/devstack/devstack/stack"
)

// fakeBackend is a hand-written fake of the Backend the screen owns. It
// records calls and serves streams from channels the test feeds.
type fakeBackend struct {
	mu         sync.Mutex
	calls      []string
	project    *stack.Project
	reloadErr  error
	containers map[string]stack.Container
	inspectErr map[string]error
	stages     map[string][]stack.BuildStage
	targets    map[string]string
	buildOut   []stack.Progress
	buildErr   error
	imageSize  int64
	exec       func(ctx context.Context, id string, req ExecRequest) (int, error)

	events chan []stack.Event
	stats  chan []stack.Stats
	logs   chan []stack.LogLine
}

func newFake(p *stack.Project, cs ...stack.Container) *fakeBackend {
	f := &fakeBackend{
		project:    p,
		containers: map[string]stack.Container{},
		inspectErr: map[string]error{},
		stages:     map[string][]stack.BuildStage{},
		targets:    map[string]string{},
		events:     make(chan []stack.Event, 16),
		stats:      make(chan []stack.Stats, 16),
		logs:       make(chan []stack.LogLine, 64),
	}
	for _, c := range cs {
		f.containers[c.ID] = c
	}
	return f
}

func (f *fakeBackend) record(format string, a ...any) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.calls = append(f.calls, fmt.Sprintf(format, a...))
}

func (f *fakeBackend) Calls() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]string(nil), f.calls...)
}

func (f *fakeBackend) Reload(ctx context.Context) (*stack.Project, error) {
	f.record("reload")
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.reloadErr != nil {
		return nil, f.reloadErr
	}
	return f.project, nil
}

func (f *fakeBackend) Ps(ctx context.Context, project string) ([]stack.Container, error) {
	f.record("ps %s", project)
	f.mu.Lock()
	defer f.mu.Unlock()
	var out []stack.Container
	for _, c := range f.containers {
		out = append(out, c)
	}
	return out, nil
}

func (f *fakeBackend) Inspect(ctx context.Context, id string) (stack.Container, error) {
	f.record("inspect %s", id)
	f.mu.Lock()
	defer f.mu.Unlock()
	if err := f.inspectErr[id]; err != nil {
		return stack.Container{}, err
	}
	c, ok := f.containers[id]
	if !ok {
		return c, fmt.Errorf("inspect %s: No such container: %s", id, id)
	}
	return c, nil
}

func (f *fakeBackend) setContainer(c stack.Container) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.containers[c.ID] = c
}

func (f *fakeBackend) Events(ctx context.Context, project string) <-chan []stack.Event {
	f.record("events %s", project)
	return f.events
}

func (f *fakeBackend) Stats(ctx context.Context, project string, interval time.Duration) <-chan []stack.Stats {
	f.record("stats %s", project)
	return f.stats
}

func (f *fakeBackend) Logs(ctx context.Context, project string, req LogsRequest) (<-chan []stack.LogLine, error) {
	f.record("logs %s tail=%d", project, req.Tail)
	return f.logs, nil
}

func (f *fakeBackend) Exec(ctx context.Context, id string, req ExecRequest) (int, error) {
	f.record("exec %s %v", id, req.Cmd)
	if f.exec == nil {
		return 0, nil
	}
	return f.exec(ctx, id, req)
}

func (f *fakeBackend) Stages(p *stack.Project, svc string) ([]stack.BuildStage, error) {
	f.record("stages %s", svc)
	return f.stages[svc], nil
}

func (f *fakeBackend) ConfiguredTarget(p *stack.Project, svc string) string { return f.targets[svc] }

func (f *fakeBackend) Build(ctx context.Context, p *stack.Project, svc, target string, progress stack.ProgressFunc) error {
	f.record("build %s target=%s", svc, target)
	for _, pr := range f.buildOut {
		progress(pr)
	}
	return f.buildErr
}

func (f *fakeBackend) Recreate(ctx context.Context, p *stack.Project, svc string) error {
	f.record("recreate %s", svc)
	return nil
}

func (f *fakeBackend) Start(ctx context.Context, p *stack.Project, svc string) error {
	f.record("start %s", svc)
	return nil
}

func (f *fakeBackend) Stop(ctx context.Context, p *stack.Project, svc string) error {
	f.record("stop %s", svc)
	return nil
}

func (f *fakeBackend) Restart(ctx context.Context, p *stack.Project, svc string) error {
	f.record("restart %s", svc)
	return nil
}

func (f *fakeBackend) Down(ctx context.Context, project string, p *stack.Project, volumes bool) error {
	f.record("down %s volumes=%v", project, volumes)
	return nil
}

func (f *fakeBackend) ImageInfo(ctx context.Context, ref string) (ImageInfo, error) {
	f.record("image %s", ref)
	return ImageInfo{ID: "sha256:abc", Size: f.imageSize}, nil
}
