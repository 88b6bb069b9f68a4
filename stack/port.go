package stack

import (
	"context"
	"fmt"
	"sort"
	"strings"

	"github.com/moby/moby/api/types/container"
)

// PortOptions narrow what Port looks up, like `docker compose port`'s flags.
type PortOptions struct {
	// Protocol keeps only bindings of this protocol (tcp, udp; all when "").
	Protocol string
	// Index is the container number (0: the lowest-numbered running one).
	Index int
}

// Port lists the port bindings of one running container of a service, in
// the engine's order sorted by container port, as compose prints them.
// With privatePort set, only that port's bindings, and an error naming
// the container's ports when it has none. p may be nil.
func (e *Engine) Port(ctx context.Context, project string, p *Project, service string, privatePort uint16, opts PortOptions) ([]Port, error) {
	out, err := e.port(ctx, project, p, service, privatePort, opts)
	if err != nil {
		return nil, fmt.Errorf("port %s: %w", service, err)
	}
	return out, nil
}

func (e *Engine) port(ctx context.Context, project string, p *Project, service string, privatePort uint16, opts PortOptions) ([]Port, error) {
	c, err := e.serviceTarget(ctx, project, p, service, opts.Index, false)
	if err != nil {
		return nil, err
	}
	ports := summaryPorts(c.Ports)
	var out []Port
	for _, pt := range ports {
		if (opts.Protocol == "" || pt.Protocol == opts.Protocol) && (privatePort == 0 || pt.ContainerPort == privatePort) {
			out = append(out, pt)
		}
	}
	if privatePort != 0 && len(out) == 0 {
		have := make([]string, len(ports))
		for i, pt := range ports {
			have[i] = fmt.Sprintf("%d/%s", pt.ContainerPort, pt.Protocol)
		}
		return nil, fmt.Errorf("no port %d/%s for container %s: it has %s", privatePort, opts.Protocol, containerName(c), orNone(strings.Join(have, ", ")))
	}
	return out, nil
}

// summaryPorts converts a container listing's ports, sorted by container
// port and otherwise in the engine's order.
func summaryPorts(ps []container.PortSummary) []Port {
	out := make([]Port, len(ps))
	for i, p := range ps {
		out[i] = Port{HostPort: p.PublicPort, ContainerPort: p.PrivatePort, Protocol: p.Type}
		if p.IP.IsValid() {
			out[i].HostIP = p.IP.String()
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].ContainerPort < out[j].ContainerPort })
	return out
}

func orNone(s string) string {
	if s == "" {
		return "no ports"
	}
	return s
}
