package tui

import (
	"context"
	"fmt"
	"sort"
	"sync"
	"time"

	"github.com/devstack/devstack/stack"
)

// fakeBackend is a hand-written fake of the Backend the screen owns. It
// records calls, keeps containers in memory and changes them the way the
// real stack.Session does (the contract in tui/backendtest holds both to
// it), and serves streams from channels the test feeds.
type fakeBackend struct {
	mu         sync.Mutex
	calls      []string
	project    *stack.Project
	reloadErr  error
	engineDown bool
	containers map[string]stack.Container
	volumes    []string
	inspectErr map[string]error
	stages     map[string][]stack.BuildStage
	buildOut   []stack.Progress
	buildErr   error
	imageSize  int64
	exec       func(ctx context.Context, id string, opts stack.ExecOptions) (int, error)
	nextID     int

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

// down is the error every engine call gives while the engine is cut.
func (f *fakeBackend) down(what string) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.engineDown {
		return fmt.Errorf("%s: %w: connection refused", what, stack.ErrEngineUnreachable)
	}
	return nil
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

func (f *fakeBackend) Ps(ctx context.Context) ([]stack.Container, error) {
	f.record("ps")
	if err := f.down("ps"); err != nil {
		return nil, err
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	var out []stack.Container
	for _, c := range f.containers {
		out = append(out, c)
	}
	sortLikeEngine(out)
	return out, nil
}

// sortLikeEngine orders containers as stack's Ps and List do: by service
// and number, one-off containers last.
func sortLikeEngine(cs []stack.Container) {
	sort.Slice(cs, func(i, j int) bool {
		if cs[i].OneOff != cs[j].OneOff {
			return cs[j].OneOff
		}
		if cs[i].Service != cs[j].Service {
			return cs[i].Service < cs[j].Service
		}
		return cs[i].Number < cs[j].Number
	})
}

func (f *fakeBackend) List(ctx context.Context) ([]stack.Container, error) {
	f.record("list")
	if err := f.down("list"); err != nil {
		return nil, err
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	var out []stack.Container
	for _, c := range f.containers {
		c.Listed = true
		c.StartedAt, c.RestartCount = time.Time{}, 0 // what a list does not say
		out = append(out, c)
	}
	sortLikeEngine(out)
	return out, nil
}

func (f *fakeBackend) Inspect(ctx context.Context, id string) (stack.Container, error) {
	f.record("inspect %s", id)
	if err := f.down("inspect " + id); err != nil {
		return stack.Container{}, err
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	if err := f.inspectErr[id]; err != nil {
		return stack.Container{}, err
	}
	c, ok := f.containers[id]
	if !ok {
		return c, fmt.Errorf("inspect %s: %w: no such container", id, stack.ErrNotFound)
	}
	return c, nil
}

func (f *fakeBackend) setContainer(c stack.Container) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.containers[c.ID] = c
}

func (f *fakeBackend) Events(ctx context.Context) <-chan []stack.Event {
	f.record("events")
	if f.down("events") != nil {
		// As the real stream does: it says so, then keeps retrying.
		ch := make(chan []stack.Event, 1)
		ch <- []stack.Event{{Time: time.Now(), Action: stack.EventEngineDown}}
		return ch
	}
	return f.events
}

func (f *fakeBackend) Stats(ctx context.Context, interval time.Duration) <-chan []stack.Stats {
	f.record("stats")
	return f.stats
}

func (f *fakeBackend) Logs(ctx context.Context, opts stack.LogsOptions) (<-chan []stack.LogLine, error) {
	f.record("logs tail=%d", opts.Tail)
	if err := f.down("logs"); err != nil {
		return nil, err
	}
	return f.logs, nil
}

func (f *fakeBackend) Exec(ctx context.Context, id string, opts stack.ExecOptions) (int, error) {
	f.record("exec %s %v", id, opts.Cmd)
	if _, err := f.Inspect(ctx, id); err != nil {
		return -1, fmt.Errorf("exec: %w", err)
	}
	if f.exec == nil {
		return 0, nil
	}
	return f.exec(ctx, id, opts)
}

func (f *fakeBackend) ImageInfo(ctx context.Context, ref string) (stack.ImageInfo, error) {
	f.record("image %s", ref)
	if err := f.down("image " + ref); err != nil {
		return stack.ImageInfo{}, err
	}
	return stack.ImageInfo{ID: "sha256:abc", Size: f.imageSize}, nil
}

func (f *fakeBackend) Stages(ctx context.Context, svc string) ([]stack.BuildStage, error) {
	f.record("stages %s", svc)
	if f.project == nil {
		return nil, fmt.Errorf("stages %s: %w", svc, stack.ErrNoProject)
	}
	s, ok := f.project.Service(svc)
	switch {
	case !ok:
		return nil, fmt.Errorf("stages %s: %w", svc, stack.ErrUnknownService)
	case s.Build == nil:
		return nil, fmt.Errorf("stages %s: service %s has no build section", svc, svc)
	}
	return f.stages[svc], nil
}

func (f *fakeBackend) Rebuild(ctx context.Context, svc, target string) *stack.Op {
	f.record("build %s target=%s", svc, target)
	return stack.StartOp(ctx, func(ctx context.Context, progress stack.ProgressFunc) error {
		if err := f.needProject("rebuild", svc); err != nil {
			return err
		}
		for _, pr := range f.buildOut {
			progress(pr)
		}
		if f.buildErr != nil {
			return f.buildErr
		}
		progress(stack.Progress{Kind: stack.ProgressRecreating, Service: svc, Subject: svc})
		return f.Recreate(ctx, svc)
	})
}
