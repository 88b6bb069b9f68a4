package tui

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/devstack/devstack/stack"
)

// The fake's actions: what they change follows stack.Session (with a
// project, the compose file's services; without one, the services the
// containers' labels name).

// needProject reloads as the real verbs do and checks the service.
func (f *fakeBackend) needProject(verb, svc string) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	switch {
	case f.reloadErr != nil:
		return f.reloadErr // it names the file and line already
	case f.project == nil:
		return fmt.Errorf("%s %s: %w", verb, svc, stack.ErrNoProject)
	}
	if _, ok := f.project.Service(svc); !ok {
		return fmt.Errorf("%s %s: %w", verb, svc, stack.ErrUnknownService)
	}
	if f.engineDown {
		return fmt.Errorf("%s %s: %w", verb, svc, stack.ErrEngineUnreachable)
	}
	return nil
}

// ofService lists a service's containers, or says why it cannot act.
func (f *fakeBackend) ofService(verb, svc string) ([]string, error) {
	if err := f.down(verb + " " + svc); err != nil {
		return nil, err
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	var ids []string
	for id, c := range f.containers {
		// As the real verbs: a service's one-off containers are not its own.
		if c.Service == svc && !c.OneOff {
			ids = append(ids, id)
		}
	}
	declared := false
	if f.project != nil {
		_, declared = f.project.Service(svc)
	}
	switch {
	case len(ids) == 0 && !declared:
		return nil, fmt.Errorf("%s %s: %w", verb, svc, stack.ErrUnknownService)
	case len(ids) == 0 && verb == "start":
		return nil, fmt.Errorf("%s %s: %w", verb, svc, stack.ErrNotCreated)
	}
	slices.Sort(ids)
	return ids, nil
}

func (f *fakeBackend) setState(ids []string, st stack.State) {
	f.mu.Lock()
	defer f.mu.Unlock()
	for _, id := range ids {
		c := f.containers[id]
		c.State = st
		if st == stack.StateRunning {
			c.StartedAt = time.Now()
		}
		f.containers[id] = c
	}
}

func (f *fakeBackend) Start(ctx context.Context, svc string) error {
	f.record("start %s", svc)
	ids, err := f.ofService("start", svc)
	f.setState(ids, stack.StateRunning)
	return err
}

func (f *fakeBackend) Stop(ctx context.Context, svc string) error {
	f.record("stop %s", svc)
	ids, err := f.ofService("stop", svc)
	f.setState(ids, stack.StateExited)
	return err
}

func (f *fakeBackend) Restart(ctx context.Context, svc string) error {
	f.record("restart %s", svc)
	ids, err := f.ofService("restart", svc)
	f.setState(ids, stack.StateRunning)
	return err
}

// Recreate replaces the service's containers with one new running one.
func (f *fakeBackend) Recreate(ctx context.Context, svc string) error {
	if err := f.needProject("recreate", svc); err != nil {
		return err
	}
	f.record("recreate %s", svc)
	f.mu.Lock()
	defer f.mu.Unlock()
	for id, c := range f.containers {
		if c.Service == svc && !c.OneOff {
			delete(f.containers, id)
		}
	}
	f.nextID++
	id := fmt.Sprintf("%s-new%020d", svc, f.nextID)
	f.containers[id] = stack.Container{ID: id, Name: f.project.Name + "-" + svc + "-1", Service: svc, Number: 1,
		State: stack.StateRunning, StartedAt: time.Now()}
	return nil
}

// byID finds one container for the verbs that act on a container by ID.
func (f *fakeBackend) byID(verb, id string) error {
	if err := f.down(verb + " " + id); err != nil {
		return err
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	if _, ok := f.containers[id]; !ok {
		return fmt.Errorf("%s %.12s: %w: no such container", verb, id, stack.ErrNotFound)
	}
	return nil
}

func (f *fakeBackend) StopContainer(ctx context.Context, id string) error {
	f.record("stop-container %s", id)
	if err := f.byID("stop", id); err != nil {
		return err
	}
	f.setState([]string{id}, stack.StateExited)
	return nil
}

func (f *fakeBackend) RemoveContainer(ctx context.Context, id string) error {
	f.record("remove-container %s", id)
	if err := f.byID("remove", id); err != nil {
		return err
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	delete(f.containers, id)
	return nil
}

func (f *fakeBackend) Down(ctx context.Context, volumes bool) error {
	f.record("down volumes=%v", volumes)
	if err := f.down("down"); err != nil {
		return err
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	clear(f.containers)
	if volumes {
		f.volumes = nil
	}
	return nil
}

func (f *fakeBackend) DownVolumes(ctx context.Context) ([]string, error) {
	f.record("volumes")
	if err := f.down("volumes"); err != nil {
		return nil, err
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	return slices.Clone(f.volumes), nil
}
