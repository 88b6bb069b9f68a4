package stack

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Project is a compose project as loaded from its files: the plain view the
// rest of devstack works with. The compose-go model stays inside stack.
type Project struct {
	Name        string
	WorkingDir  string
	ConfigFiles []string
	// Services are the active services, sorted by name.
	Services []Service
	// Inactive are services declared but switched off by profiles (or left
	// out by LoadOptions.Services).
	Inactive []Service
	// Networks and Volumes are the keys declared at the top level.
	Networks []string
	Volumes  []string
	// NetworkConfigs and VolumeConfigs are those networks and volumes in
	// full (engine name, config hash), sorted by key.
	NetworkConfigs []NetworkSpec
	VolumeConfigs  []VolumeSpec
	// Warnings are things the user should know (legacy format, keys
	// devstack does not honour yet); loading still succeeded.
	Warnings []Warning
	// Legacy is set when the file was written in the compose v1 format and
	// was converted in memory.
	Legacy bool

	model *composeModel
}

// Service returns the active service with that name.
func (p *Project) Service(name string) (Service, bool) {
	for _, s := range p.Services {
		if s.Name == name {
			return s, true
		}
	}
	return Service{}, false
}

// ServiceNames lists the active services' names in order.
func (p *Project) ServiceNames() []string {
	names := make([]string, len(p.Services))
	for i, s := range p.Services {
		names[i] = s.Name
	}
	return names
}

// Warning is a non-fatal finding about a compose file.
type Warning struct {
	// File is relative to the project folder when it is inside it.
	File    string
	Line    int
	Service string
	Key     string
	Message string
}

func (w Warning) String() string {
	pos := w.File
	if w.Line > 0 {
		pos = fmt.Sprintf("%s:%d", w.File, w.Line)
	}
	subject := w.Key
	if w.Service != "" {
		subject = "services." + w.Service
		if w.Key != "" {
			subject += "." + w.Key
		}
	}
	switch {
	case pos != "" && subject != "":
		return fmt.Sprintf("%s: %s: %s", pos, subject, w.Message)
	case pos != "":
		return fmt.Sprintf("%s: %s", pos, w.Message)
	case subject != "":
		return fmt.Sprintf("%s: %s", subject, w.Message)
	}
	return w.Message
}

// Service is one service of a project as configured.
type Service struct {
	Name string
	// Image is the image the containers run: the configured one, or
	// <project>-<service> when the service is only built.
	Image         string
	Build         *BuildSpec
	Command       []string
	Entrypoint    []string
	Ports         []Port
	Mounts        []Mount
	Env           []EnvVar
	Networks      []NetworkAttachment
	DependsOn     []Dependency
	Limits        Limits
	Profiles      []string
	Scale         int
	ContainerName string
	Restart       string
	User          string
	WorkingDir    string
	Healthcheck   bool
	// Hash is Compose's config hash for the service (the
	// com.docker.compose.config-hash label).
	Hash string
}

// BuildSpec says how a service's image is built.
type BuildSpec struct {
	Context    string
	Dockerfile string
	Target     string
	Args       map[string]string
}

// Port is a published port: host side and container side.
type Port struct {
	HostIP   string
	HostPort uint16
	// HostPortEnd is the last port of a published range ("8000-8010:80"),
	// of which the engine binds one; 0 for a single port.
	HostPortEnd   uint16
	ContainerPort uint16
	Protocol      string
}

func (p Port) String() string {
	proto := p.Protocol
	if proto == "" {
		proto = "tcp"
	}
	if p.HostPort == 0 {
		return fmt.Sprintf("%d/%s", p.ContainerPort, proto)
	}
	host := ""
	if p.HostIP != "" && p.HostIP != "0.0.0.0" && p.HostIP != "::" {
		host = p.HostIP + ":"
		if strings.Contains(p.HostIP, ":") {
			host = "[" + p.HostIP + "]:"
		}
	}
	hostPort := strconv.Itoa(int(p.HostPort))
	if p.HostPortEnd > p.HostPort {
		hostPort += "-" + strconv.Itoa(int(p.HostPortEnd))
	}
	return fmt.Sprintf("%s%s->%d/%s", host, hostPort, p.ContainerPort, proto)
}

// MountKind is the kind of storage behind a mount.
type MountKind string

// The kinds of mount a service can have.
const (
	MountBind   MountKind = "bind"
	MountVolume MountKind = "volume"
	MountTmpfs  MountKind = "tmpfs"
)

// Mount is one filesystem mounted into a container.
type Mount struct {
	Kind MountKind
	// Source is the host path (bind), the volume's full name (volume, empty
	// for an anonymous one) or empty (tmpfs).
	Source   string
	Target   string
	ReadOnly bool
	// TmpfsSize is the size limit of a tmpfs in bytes (0: unlimited).
	TmpfsSize int64
	TmpfsMode uint32
}

// EnvSource says where an environment value came from.
type EnvSource string

// Where environment values come from.
const (
	EnvFromEnvironment EnvSource = "environment"
	EnvFromEnvFile     EnvSource = "env_file"
	EnvFromDotEnv      EnvSource = ".env"
	EnvFromImage       EnvSource = "image"
)

// EnvVar is one environment variable of a service and its origin.
type EnvVar struct {
	Name   string
	Value  string
	Source EnvSource
	// File is the env_file the value came from, when Source is EnvFromEnvFile.
	File string
	// Secret is set when the name suggests a credential; UIs mask it.
	Secret bool
}

// NetworkAttachment is a service's membership of a network.
type NetworkAttachment struct {
	Network string
	Aliases []string
}

// Dependency is one depends_on entry.
type Dependency struct {
	Service   string
	Condition string
	Restart   bool
	Required  bool
}

// Limits are a service's resource limits; zero means none.
type Limits struct {
	MemoryBytes       int64
	MemoryReservation int64
	CPUs              float64
	Pids              int64
}

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
	Labels       map[string]string
	// Env is the container's environment as the engine has it (KEY=VALUE):
	// the service's variables and those its image sets.
	Env []string
	// Pid is the main process's pid on the engine's host (0 when stopped).
	Pid int
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
	Stream        Stream
	Time          time.Time
	Text          string
}

// Event is something that happened to one of the project's containers, or
// to the connection with the engine (Action EventEngineDown / EventEngineUp,
// no container).
type Event struct {
	Time        time.Time
	ContainerID string
	Service     string
	// Action is the engine's action, with health_status normalised to
	// "health_status: healthy" and friends.
	Action   string
	ExitCode int
}

// Engine connection events delivered on the events stream.
const (
	EventEngineDown = "engine-down"
	EventEngineUp   = "engine-up"
)

// BuildStage is one FROM stage of a Dockerfile.
type BuildStage struct {
	Index int
	Name  string
	Base  string
	Line  int
}

// ProgressKind classifies a step of a long operation.
type ProgressKind string

// Progress kinds, in roughly the order an up reports them.
const (
	ProgressBuilding   ProgressKind = "building"
	ProgressBuilt      ProgressKind = "built"
	ProgressCreating   ProgressKind = "creating"
	ProgressCreated    ProgressKind = "created"
	ProgressRecreating ProgressKind = "recreating"
	ProgressRecreated  ProgressKind = "recreated"
	ProgressUpToDate   ProgressKind = "up-to-date"
	ProgressStarting   ProgressKind = "starting"
	ProgressStarted    ProgressKind = "started"
	ProgressWaiting    ProgressKind = "waiting"
	ProgressHealthy    ProgressKind = "healthy"
	ProgressExited     ProgressKind = "exited"
	ProgressStopping   ProgressKind = "stopping"
	ProgressStopped    ProgressKind = "stopped"
	ProgressRemoving   ProgressKind = "removing"
	ProgressRemoved    ProgressKind = "removed"
	ProgressWarning    ProgressKind = "warning"
	ProgressError      ProgressKind = "error"
	ProgressOutput     ProgressKind = "output"
)

// Progress is one step of a long operation (up, down, build), reported as
// it happens. Subject is what the step is about: a container, network,
// volume or image name.
type Progress struct {
	Kind    ProgressKind
	Service string
	Subject string
	Text    string
}

// ProgressFunc receives progress; it is called from the operation's
// goroutines and must not block for long. A nil ProgressFunc drops it.
type ProgressFunc func(Progress)

func (f ProgressFunc) report(p Progress) {
	if f != nil {
		f(p)
	}
}
