package tui

import (
	"context"
	"io"
	"time"

	"github.com/devstack/devstack/stack"
)

// Backend is what the screen needs from the engine and the project. Every
// method that talks to the engine takes ctx first. cmd/devstack implements it
// over *stack.Engine and stack.Load; tests use a hand-written fake.
//
// Streams deliver batches and close when ctx ends (or the engine goes away);
// the screen re-subscribes when a stream closes while it still runs.
type Backend interface {
	// Reload loads the compose project again (stack.Load with the options
	// the program started with). A nil project with a nil error means there
	// is no compose file (attached with -p NAME): the screen then works from
	// containers alone.
	Reload(ctx context.Context) (*stack.Project, error)
	// Ps lists the project's containers, stopped ones included.
	Ps(ctx context.Context, project string) ([]stack.Container, error)
	// Inspect returns one container's current state.
	Inspect(ctx context.Context, id string) (stack.Container, error)
	// Events streams the project's container events, plus EventEngineDown /
	// EventEngineUp when the connection with the engine drops and returns
	// (exec_* actions are ignored). It is called before Ps.
	Events(ctx context.Context, project string) <-chan []stack.Event
	// Stats streams resource samples of the project's running containers.
	Stats(ctx context.Context, project string, interval time.Duration) <-chan []stack.Stats
	// Logs streams the project's log lines (following, also containers that
	// start later).
	Logs(ctx context.Context, project string, req LogsRequest) (<-chan []stack.LogLine, error)
	// Exec runs a command in a container attached to the given streams and
	// returns its exit code.
	Exec(ctx context.Context, containerID string, req ExecRequest) (int, error)
	// Stages lists the build stages of a service's Dockerfile.
	Stages(p *stack.Project, service string) ([]stack.BuildStage, error)
	// ConfiguredTarget is the build target the compose file sets ("" for none).
	ConfiguredTarget(p *stack.Project, service string) string
	// Build builds one service's image at a target stage ("" for the last).
	Build(ctx context.Context, p *stack.Project, service, target string, progress stack.ProgressFunc) error
	// Recreate replaces a service's containers with new ones from its
	// current config and image, creating them when it has none (what
	// "up <service>" does).
	Recreate(ctx context.Context, p *stack.Project, service string) error
	// Start, Stop and Restart act on one service's containers; p is nil
	// when there is no compose file (attached by name: work from labels).
	Start(ctx context.Context, p *stack.Project, service string) error
	Stop(ctx context.Context, p *stack.Project, service string) error
	Restart(ctx context.Context, p *stack.Project, service string) error
	// Down removes the stack's containers and networks, and its named
	// volumes when volumes is set. p may be nil (work from labels).
	Down(ctx context.Context, project string, p *stack.Project, volumes bool) error
	// ImageInfo describes an image by reference or ID (asked once per image
	// when Container.ImageSize is 0, and after a rebuild).
	ImageInfo(ctx context.Context, ref string) (ImageInfo, error)
}

// LogsRequest selects the log lines to stream. The stream always follows.
type LogsRequest struct {
	// Services restricts the stream (all services when empty).
	Services []string
	// Tail is how many past lines per container to send first (0: none,
	// -1: all).
	Tail int
	// Since drops lines older than this (zero: no limit).
	Since time.Time
}

// ExecRequest says what to run in a container and with which terminal. Its
// fields are stack.ExecOptions' (Stdin also has the Cancel() bool method
// that Exec calls when the command ends).
type ExecRequest struct {
	Cmd     []string
	User    string
	WorkDir string
	TTY     bool
	Stdin   io.Reader
	Stdout  io.Writer
	Stderr  io.Writer
	// Size is the terminal's size at start (zero when not a terminal).
	Size TermSize
	// Resize delivers the terminal's new size on every change; it is closed
	// after Exec returns.
	Resize <-chan TermSize
}

// TermSize is a terminal's size in cells (stack.TermSize's fields).
type TermSize struct {
	Rows, Cols uint
}

// ImageInfo is what the screen shows about an image; it converts from
// stack.ImageInfo with a plain conversion (same fields).
type ImageInfo struct {
	ID      string
	Size    int64
	Created time.Time
	Tags    []string
}

// ProjectWatcher is an optional Backend capability, checked at run time:
// a stream of reloads whenever the compose files change on disk, so a
// file that turns invalid shows on screen at once (without it the screen
// reloads on ctrl+r and before recreate and rebuild).
type ProjectWatcher interface {
	WatchProject(ctx context.Context) <-chan ProjectReload
}

// ProjectReload is the outcome of loading the compose files again.
type ProjectReload struct {
	Project *stack.Project
	Err     error
}
