package stack

import (
	"fmt"
	"net/netip"
	"strconv"

	"github.com/compose-spec/compose-go/v2/types"
	"github.com/moby/moby/api/types/network"
)

// exposedPorts are the published ports' container sides plus expose:.
func exposedPorts(sc types.ServiceConfig) (network.PortSet, error) {
	set := network.PortSet{}
	for _, p := range sc.Ports {
		port, err := network.ParsePort(fmt.Sprintf("%d/%s", p.Target, protocolOf(p)))
		if err != nil {
			return nil, fmt.Errorf("service %s: port %d: %w", sc.Name, p.Target, err)
		}
		set[port] = struct{}{}
	}
	for _, e := range sc.Expose {
		r, err := network.ParsePortRange(e)
		if err != nil {
			return nil, fmt.Errorf("service %s: expose %q: %w", sc.Name, e, err)
		}
		for port := range r.All() {
			set[port] = struct{}{}
		}
	}
	return set, nil
}

// portBindings maps each published port to its host side. compose-go has
// already expanded ranges into one entry per port; the host side may still
// be a range ("9000-9001"), which the engine understands.
func portBindings(sc types.ServiceConfig) (network.PortMap, error) {
	m := network.PortMap{}
	for _, p := range sc.Ports {
		port, err := network.ParsePort(fmt.Sprintf("%d/%s", p.Target, protocolOf(p)))
		if err != nil {
			return nil, fmt.Errorf("service %s: port %d: %w", sc.Name, p.Target, err)
		}
		var ip netip.Addr
		if p.HostIP != "" {
			if ip, err = netip.ParseAddr(p.HostIP); err != nil {
				return nil, fmt.Errorf("service %s: port %d: host ip %q: %w", sc.Name, p.Target, p.HostIP, err)
			}
		}
		m[port] = append(m[port], network.PortBinding{HostIP: ip, HostPort: p.Published})
	}
	return m, nil
}

func protocolOf(p types.ServicePortConfig) string {
	if p.Protocol == "" {
		return "tcp"
	}
	return p.Protocol
}

// hostIP is the address a port is published on as Port keeps it: empty
// for all addresses (0.0.0.0, ::) or none.
func hostIP(a netip.Addr) string {
	if a.IsValid() && !a.IsUnspecified() {
		return a.String()
	}
	return ""
}

// portsFromEngine converts the engine's port map into published ports,
// sorted by container port then host port.
//
// The engine binds a wildcard port on IPv4 and IPv6 and lists both; they are
// one published port to the user, so wildcard bindings are merged.
func portsFromEngine(m network.PortMap) []Port {
	var out []Port
	seen := map[Port]bool{}
	for port, bindings := range m {
		if len(bindings) == 0 {
			out = append(out, Port{ContainerPort: port.Num(), Protocol: string(port.Proto())})
			continue
		}
		for _, b := range bindings {
			host, _ := strconv.ParseUint(b.HostPort, 10, 16)
			p := Port{ContainerPort: port.Num(), HostPort: uint16(host), Protocol: string(port.Proto()), HostIP: hostIP(b.HostIP)}
			if seen[p] {
				continue
			}
			seen[p] = true
			out = append(out, p)
		}
	}
	sortPorts(out)
	return out
}
