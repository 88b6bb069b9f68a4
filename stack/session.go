package stack

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"
)

// Session is one stack as a screen watches and drives it: the engine, how
// the project was loaded (so it can be loaded again), and the project as
// last loaded. A Session attached by name with no compose file has a nil
// project and works from the containers' labels alone: everything but
// recreate, rebuild and stages, which need the file.
//
// It is what the dashboard's Backend needs, and nothing more: every method
// is I/O, errors wrap ErrNotFound, ErrEngineUnreachable, ErrNoProject and
// ErrUnknownService so callers choose their words with errors.Is.
type Session struct {
	e    *Engine
	load LoadOptions
	name string

	mu      sync.Mutex
	project *Project
}

// NewSession opens a session on a project loaded with load (p, nil when
// attached by name with no compose file, in which case load.ProjectName
// names the stack).
func NewSession(e *Engine, load LoadOptions, p *Project) *Session {
	s := &Session{e: e, load: load, name: load.ProjectName, project: p}
	if p != nil {
		s.name = p.Name
	}
	return s
}

// Name is the stack's project name.
func (s *Session) Name() string { return s.name }

// Project is the project as last loaded successfully (nil without a
// compose file).
func (s *Session) Project() *Project {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.project
}

// Reload loads the compose files again with the options the session
// started with. A nil project with a nil error means there is no compose
// file and the session was attached by name. A project that fails to load
// leaves the last good one in use.
func (s *Session) Reload(ctx context.Context) (*Project, error) {
	p, err := Load(ctx, s.load)
	if errors.Is(err, ErrNoComposeFile) && s.load.ProjectName != "" {
		p, err = nil, nil
	}
	if err != nil {
		return nil, err
	}
	s.mu.Lock()
	s.project = p
	s.mu.Unlock()
	return p, nil
}

// Ps lists the stack's containers, stopped ones included, and its one-off
// containers (Container.OneOff, listed last).
func (s *Session) Ps(ctx context.Context) ([]Container, error) {
	cs, err := s.e.Ps(ctx, s.name, PsOptions{All: true, OneOff: true})
	return cs, engineErr(err)
}

// List is Ps from the engine's list alone (see Engine.List): one request,
// for the first screen.
func (s *Session) List(ctx context.Context) ([]Container, error) {
	cs, err := s.e.List(ctx, s.name, PsOptions{All: true, OneOff: true})
	return cs, engineErr(err)
}

// Inspect returns one container's current state; ErrNotFound once it is gone.
func (s *Session) Inspect(ctx context.Context, id string) (Container, error) {
	return s.e.Inspect(ctx, id)
}

// Events streams the stack's container events (see Engine.Events).
func (s *Session) Events(ctx context.Context) <-chan []Event { return s.e.Events(ctx, s.name) }

// Stats streams resource samples of the stack's running containers.
func (s *Session) Stats(ctx context.Context, interval time.Duration) <-chan []Stats {
	return s.e.Stats(ctx, s.name, StatsOptions{Interval: interval})
}

// Logs streams the stack's log lines, following them (opts.Follow is
// implied), containers that start later and one-off containers included
// (opts.OneOff is implied; their lines have LogLine.OneOff set).
func (s *Session) Logs(ctx context.Context, opts LogsOptions) (<-chan []LogLine, error) {
	opts.Follow, opts.OneOff = true, true
	ch, err := s.e.Logs(ctx, s.name, opts)
	return ch, engineErr(err)
}

// Exec runs a command in a container and returns its exit code.
func (s *Session) Exec(ctx context.Context, containerID string, opts ExecOptions) (int, error) {
	code, err := s.e.Exec(ctx, containerID, opts)
	return code, engineErr(err)
}

// ImageInfo describes an image by reference or ID.
func (s *Session) ImageInfo(ctx context.Context, ref string) (ImageInfo, error) {
	return s.e.ImageInfo(ctx, ref)
}

// Stages lists the build stages of a service's Dockerfile, read from disk
// now.
func (s *Session) Stages(ctx context.Context, service string) ([]BuildStage, error) {
	p := s.Project()
	if p == nil {
		return nil, fmt.Errorf("stages %s: %w", service, ErrNoProject)
	}
	return Stages(p, service)
}

// Start, Stop and Restart act on one service's containers, with the
// compose file's dependency rules when there is one, from the labels
// otherwise.
func (s *Session) Start(ctx context.Context, service string) error {
	return engineErr(s.e.Start(ctx, s.Project(), s.lifecycle(service)))
}

// Stop stops a service's running containers.
func (s *Session) Stop(ctx context.Context, service string) error {
	return engineErr(s.e.Stop(ctx, s.Project(), s.lifecycle(service)))
}

// Restart restarts a service's containers (and those that declared
// `restart: true` on it).
func (s *Session) Restart(ctx context.Context, service string) error {
	return engineErr(s.e.Restart(ctx, s.Project(), s.lifecycle(service)))
}

// StopContainer stops one container by ID (a one-off container: the
// service verbs leave those alone); ErrNotFound once it is gone.
func (s *Session) StopContainer(ctx context.Context, id string) error {
	return engineErr(s.e.StopContainer(ctx, id))
}

// RemoveContainer removes one container by ID, running or not, with its
// anonymous volumes; ErrNotFound once it is gone.
func (s *Session) RemoveContainer(ctx context.Context, id string) error {
	return engineErr(s.e.RemoveContainer(ctx, id))
}

func (s *Session) lifecycle(service string) LifecycleOptions {
	return LifecycleOptions{Services: []string{service}, ProjectName: s.name}
}

// Recreate loads the compose file again and replaces a service's
// containers from what it says now (what "up <service>" does).
func (s *Session) Recreate(ctx context.Context, service string) error {
	p, err := s.reloaded(ctx, "recreate "+service)
	if err != nil {
		return err
	}
	return engineErr(s.e.Recreate(ctx, p, service, UpOptions{}))
}

// Rebuild loads the compose file again, builds one service's image at a
// target stage ("" for the last) and recreates only that service, in the
// background: the build's output and the steps come on the Op's stream.
func (s *Session) Rebuild(ctx context.Context, service, target string) *Op {
	return StartOp(ctx, func(ctx context.Context, progress ProgressFunc) error {
		p, err := s.reloaded(ctx, "rebuild "+service)
		if err != nil {
			return err
		}
		if err := s.e.Build(ctx, p, BuildOptions{Services: []string{service}, Target: target, Progress: progress}); err != nil {
			return engineErr(err)
		}
		progress(Progress{Kind: ProgressRecreating, Service: service, Subject: service})
		return engineErr(s.e.Recreate(ctx, p, service, UpOptions{}))
	})
}

// reloaded is the project as on disk now, for the verbs that need it.
func (s *Session) reloaded(ctx context.Context, what string) (*Project, error) {
	p, err := s.Reload(ctx)
	if err != nil {
		return nil, err // a load error names the file and line already
	}
	if p == nil {
		return nil, fmt.Errorf("%s: %w", what, ErrNoProject)
	}
	return p, nil
}

// Down removes the stack's containers and networks, and the volumes
// DownVolumes names when volumes is set.
func (s *Session) Down(ctx context.Context, volumes bool) error {
	return engineErr(s.e.Down(ctx, s.name, s.Project(), DownOptions{Volumes: volumes}))
}

// DownVolumes names the volumes Down(ctx, true) would delete, as the
// engine names them.
func (s *Session) DownVolumes(ctx context.Context) ([]string, error) {
	names, err := s.e.DownVolumes(ctx, s.name, s.Project())
	return names, engineErr(err)
}
