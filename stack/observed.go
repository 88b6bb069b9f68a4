package stack

import "time"

// This file holds what devstack observes on the engine: containers and
// their state, resource samples, log lines and events.

// State is a container's lifecycle state as the engine reports it.
type State string

// Container states.
const (
	StateCreated    State = "created"
	StateRunning    State = "running"
	StatePaused     State = "paused"
	StateRestarting State = "restarting"
	StateRemoving   State = "removing"
	StateExited     State = "exited"
	StateDead       State = "dead"
)

// States of a declared service that has no container. The engine never
// reports them; they let a list of services and containers speak one
// vocabulary.
const (
	// StateNotCreated is a service of the project with no container yet.
	StateNotCreated State = "not created"
	// StateProfile is a service switched off by its profiles.
	StateProfile State = "profile"
)

// Health is a container's healthcheck status; empty when it has none.
type Health string

// Health statuses.
const (
	HealthNone      Health = ""
	HealthStarting  Health = "starting"
	HealthHealthy   Health = "healthy"
	HealthUnhealthy Health = "unhealthy"
)

// Container is one container of a project as the engine has it.
type Container struct {
	ID           string
	Name         string
	Service      string
	Number       int
	OneOff       bool
	State        State
	Health       Health
	ExitCode     int
	OOMKilled    bool
	RestartCount int
	Created      time.Time
	StartedAt    time.Time
	FinishedAt   time.Time
	Image        string
	ImageID      string
	ImageSize    int64
	Ports        []Port
	Mounts       []Mount
	ConfigHash   string
	// Stage is the Dockerfile stage the container's image was built from
	// (its devstack.build.stage label), "" for images devstack did not build.
	Stage  string
	Labels map[string]string
	// Env is the container's environment as the engine has it (KEY=VALUE):
	// the service's variables and those its image sets.
	Env []string
	// Pid is the main process's pid on the engine's host (0 when stopped).
	Pid int
	// Command is the process the container runs, path and arguments
	// joined by spaces as docker ps shows it.
	Command string
	// Networks are the names of the networks it is connected to, sorted.
	Networks []string
	// Project is the compose project it belongs to, per its label.
	Project string
	// Listed marks a container described from the engine's list alone
	// (Engine.List), not inspected: StartedAt, FinishedAt, RestartCount,
	// OOMKilled, Env, Pid, Command, Mounts and ImageSize are unknown, and
	// health and exit code are as the list's status text gives them.
	Listed bool
}

// Running reports whether the container's process is up.
func (c Container) Running() bool {
	return c.State == StateRunning || c.State == StateRestarting
}

// Stats is one resource sample of a running container. Rates are per
// second over the interval since the previous sample.
type Stats struct {
	ContainerID      string
	Service          string
	Time             time.Time
	CPUPercent       float64
	MemoryUsage      uint64
	MemoryLimit      uint64
	NetRxPerSec      float64
	NetTxPerSec      float64
	BlockReadPerSec  float64
	BlockWritePerSec float64
	Pids             uint64
	// Name is the container's name.
	Name string
	// NetRx, NetTx, BlockRead and BlockWrite are the byte counters since
	// the container started, which `docker stats` shows.
	NetRx, NetTx, BlockRead, BlockWrite uint64
}

// Stream names an output stream of a container.
type Stream uint8

// Output streams.
const (
	Stdout Stream = iota + 1
	Stderr
)

// LogLine is one line a container wrote, without its trailing newline.
type LogLine struct {
	Service       string
	ContainerID   string
	ContainerName string
	// Number is the container's replica number within its service (the
	// com.docker.compose.container-number label; 0 when it has none).
	Number int
	Stream Stream
	Time   time.Time
	Text   string
	// OneOff is set for the lines of a one-off container (`run`).
	OneOff bool
}

// Event is something that happened to one of the project's containers, or
// to the connection with the engine (Action EventEngineDown / EventEngineUp,
// no container).
type Event struct {
	Time        time.Time
	ContainerID string
	Service     string
	// Action is the engine's action; health changes come as
	// ActionHealthStatus with Health set.
	Action EventAction
	// Health is the new health status of an ActionHealthStatus event.
	Health Health
	// ExitCode is the exit code of an ActionDie event.
	ExitCode int
	// Attributes are the engine's attributes of the event (image, name,
	// exit code, the container's own labels) without Compose's labels.
	Attributes map[string]string
	// OneOff is set for the containers of `run`.
	OneOff bool
}

// EventAction is what happened to a container (the engine's action names),
// or to the connection with the engine.
type EventAction string

// The actions a project's containers report (exec_* actions are dropped
// before they reach anyone), and the two about the connection itself.
const (
	ActionCreate       EventAction = "create"
	ActionStart        EventAction = "start"
	ActionRestart      EventAction = "restart"
	ActionKill         EventAction = "kill"
	ActionDie          EventAction = "die"
	ActionStop         EventAction = "stop"
	ActionPause        EventAction = "pause"
	ActionUnpause      EventAction = "unpause"
	ActionOOM          EventAction = "oom"
	ActionRename       EventAction = "rename"
	ActionDestroy      EventAction = "destroy"
	ActionHealthStatus EventAction = "health_status"

	// EventEngineDown says the connection to the engine was lost; events
	// may be missed until EventEngineUp.
	EventEngineDown EventAction = "engine-down"
	// EventEngineUp says the connection is back: state derived from events
	// should be listed again.
	EventEngineUp EventAction = "engine-up"
)

// Removed reports whether the event says the container no longer exists.
func (ev Event) Removed() bool { return ev.Action == ActionDestroy }

// Engine reports whether the event is about the connection with the
// engine rather than a container.
func (ev Event) Engine() bool { return ev.Action == EventEngineDown || ev.Action == EventEngineUp }
