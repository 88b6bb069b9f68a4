package tui

import (
	"context"
	"time"

	"github.com/devstack/devstack/stack"
)

// Backend is what the screen needs from the engine and the project: I/O
// only, on one stack. stack.Session implements it; tests use a hand-written
// fake, and both pass the contract in tui/backendtest.
//
// The values are stack's own types, passed straight through (Container,
// Event, ExecOptions, ImageInfo...): the screen reads the domain, it does
// not mirror it. What can be computed from the project in memory (a
// service's configured build target, its image) is read from the Project,
// not asked for. Errors wrap stack's sentinels (ErrNotFound,
// ErrEngineUnreachable, ErrNoProject, ErrUnknownService): the screen picks
// its words with errors.Is, never from error text.
//
// Streams deliver batches and close when ctx ends (or the engine goes away);
// the screen re-subscribes when a stream closes while it still runs.
type Backend interface {
	// Reload loads the compose project again. A nil project with a nil
	// error means there is no compose file (attached with -p NAME): the
	// screen then works from containers alone.
	Reload(ctx context.Context) (*stack.Project, error)
	// Ps lists the stack's containers, stopped ones included, and its
	// one-off containers (those of `run`, Container.OneOff set).
	Ps(ctx context.Context) ([]stack.Container, error)
	// List is Ps from one request to the engine, without inspecting each
	// container (Container.Listed): what the first screen shows while Ps
	// fills in the details.
	List(ctx context.Context) ([]stack.Container, error)
	// Inspect returns one container's current state (ErrNotFound once it
	// is gone).
	Inspect(ctx context.Context, id string) (stack.Container, error)
	// Events streams the stack's container events, plus EventEngineDown /
	// EventEngineUp when the connection with the engine drops and returns.
	// It is called before Ps.
	Events(ctx context.Context) <-chan []stack.Event
	// Stats streams resource samples of the stack's running containers.
	Stats(ctx context.Context, interval time.Duration) <-chan []stack.Stats
	// Logs streams the stack's log lines, always following (also
	// containers that start later), one-off containers' included
	// (LogLine.OneOff set).
	Logs(ctx context.Context, opts stack.LogsOptions) (<-chan []stack.LogLine, error)
	// Exec runs a command in a container attached to the given streams and
	// returns its exit code.
	Exec(ctx context.Context, containerID string, opts stack.ExecOptions) (int, error)
	// ImageInfo describes an image by reference or ID (asked once per image
	// when Container.ImageSize is 0, and after a rebuild).
	ImageInfo(ctx context.Context, ref string) (stack.ImageInfo, error)
	// Stages reads the build stages of a service's Dockerfile
	// (ErrNoProject without a compose file).
	Stages(ctx context.Context, service string) ([]stack.BuildStage, error)
	// Rebuild builds one service's image at a target stage ("" for the
	// last) from the compose file as on disk now, then recreates only that
	// service; its progress is a batched stream.
	Rebuild(ctx context.Context, service, target string) *stack.Op
	// Recreate replaces a service's containers with new ones from the
	// compose file as on disk now (what "up <service>" does).
	Recreate(ctx context.Context, service string) error
	// Start, Stop and Restart act on one service's containers, with or
	// without a compose file (then from the containers' labels).
	Start(ctx context.Context, service string) error
	Stop(ctx context.Context, service string) error
	Restart(ctx context.Context, service string) error
	// StopContainer and RemoveContainer act on one container by ID: the
	// one-off containers, which the service verbs leave alone. Remove
	// takes a running container too, with its anonymous volumes.
	StopContainer(ctx context.Context, id string) error
	RemoveContainer(ctx context.Context, id string) error
	// Down removes the stack's containers and networks, and the volumes
	// DownVolumes names when volumes is set.
	Down(ctx context.Context, volumes bool) error
	// DownVolumes names the volumes a down with volumes deletes, as the
	// engine names them.
	DownVolumes(ctx context.Context) ([]string, error)
}

// ProjectWatcher is an optional Backend capability, checked at run time:
// a stream of reloads whenever the project's files change on disk, so a
// file that turns invalid shows on screen at once (without it the screen
// reloads on ctrl+r and before recreate and rebuild).
type ProjectWatcher interface {
	WatchProject(ctx context.Context) <-chan stack.ProjectReload
}

// The real backend is stack.Session.
var _ interface {
	Backend
	ProjectWatcher
} = (*stack.Session)(nil)
