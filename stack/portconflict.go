package stack

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"strconv"

	"github.com/moby/moby/api/types/container"
	"github.com/moby/moby/client"
)

// ErrPortInUse means a host port a container publishes is already held, by
// another container or by a program on the engine's host.
var ErrPortInUse = errors.New("host port already in use")

// PortInUseError says which host port a container could not publish and
// who holds it, instead of the engine's text (an endpoint ID and a driver
// message).
type PortInUseError struct {
	// Container is the container that could not start.
	Container string
	// HostIP and Port are the address it wanted ("0.0.0.0", "8080").
	HostIP, Port string
	// Holder names the container that publishes the port ("web-1 (project
	// shop, service web)"); empty when no container does, so a program
	// outside the engine holds it.
	Holder string
}

func (e *PortInUseError) Error() string {
	holder := "another program on the engine's host (no container publishes it)"
	if e.Holder != "" {
		holder = "container " + e.Holder
	}
	return fmt.Sprintf("host port %s is already in use by %s: stop it, or publish the service on another host port (its ports: in the compose file)", e.Port, holder)
}

// Unwrap lets callers test with errors.Is(err, ErrPortInUse).
func (e *PortInUseError) Unwrap() error { return ErrPortInUse }

// portConflictRE reads the two ways the engine says a host port is taken:
// by another container (Docker's port allocator) or by a program (the
// userland proxy could not listen).
var portConflictRE = regexp.MustCompile(`Bind for (\S+):(\d+) failed: port is already allocated|listen (?:tcp|udp|sctp)[46]? (\S+):(\d+): bind: address already in use`)

// parsePortConflict finds the host address in a failed start's message.
func parsePortConflict(msg string) (hostIP, port string, ok bool) {
	m := portConflictRE.FindStringSubmatch(msg)
	switch {
	case m == nil:
		return "", "", false
	case m[2] != "":
		return m[1], m[2], true
	}
	return m[3], m[4], true
}

// portInUse turns a start error into a *PortInUseError naming the
// container that holds the port; other errors come back as they were.
func (e *Engine) portInUse(ctx context.Context, name string, err error) error {
	ip, port, ok := parsePortConflict(err.Error())
	if !ok {
		return err
	}
	return &PortInUseError{Container: name, HostIP: ip, Port: port, Holder: e.portHolder(ctx, port, name)}
}

// portHolder names the running container that publishes a host port, with
// its compose project and service when it has them; "" when none does.
func (e *Engine) portHolder(ctx context.Context, port, except string) string {
	want, err := strconv.ParseUint(port, 10, 16)
	if err != nil {
		return ""
	}
	res, err := e.api.ContainerList(ctx, client.ContainerListOptions{})
	if err != nil {
		return ""
	}
	for _, c := range res.Items {
		if len(c.Names) == 0 || engineName(c.Names[0]) == except || !publishes(c, uint16(want)) {
			continue
		}
		name := engineName(c.Names[0])
		if p, s := c.Labels[labelProject], c.Labels[labelService]; p != "" && s != "" {
			return fmt.Sprintf("%s (project %s, service %s)", name, p, s)
		}
		return name
	}
	return ""
}

func publishes(c container.Summary, port uint16) bool {
	for _, p := range c.Ports {
		if p.PublicPort == port {
			return true
		}
	}
	return false
}
