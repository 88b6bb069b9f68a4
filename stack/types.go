package stack

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/devstack/devstack/stack/internal/composeload"
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
type Warning = composeload.Warning

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
