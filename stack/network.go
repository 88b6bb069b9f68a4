package stack

import (
	"context"
	"fmt"
	"net"
	"net/netip"
	"strconv"
	"strings"

	"github.com/compose-spec/compose-go/v2/types"
	cerrdefs "github.com/containerd/errdefs"
	"github.com/moby/moby/api/types/container"
	"github.com/moby/moby/api/types/network"
	"github.com/moby/moby/client"
)

// ensureNetworks makes sure the networks under the given keys exist: it
// creates the project's own, checks that external ones are there, and
// returns the engine ID of each by key.
func (e *Engine) ensureNetworks(ctx context.Context, model *types.Project, keys []string, progress ProgressFunc) (map[string]string, error) {
	res, err := e.api.NetworkList(ctx, client.NetworkListOptions{
		Filters: make(client.Filters).Add("label", projectLabelFilter(model.Name)),
	})
	if err != nil {
		return nil, fmt.Errorf("list networks of %s: %w", model.Name, err)
	}
	byName := map[string][]network.Summary{}
	for _, n := range res.Items {
		byName[n.Name] = append(byName[n.Name], n)
	}
	owned := map[string]network.Summary{}
	for name, same := range byName {
		owned[name] = same[0]
		if len(same) > 1 {
			owned[name] = e.oldestOwned(ctx, same, progress)
		}
	}
	ids := map[string]string{}
	for _, key := range keys {
		n, ok := model.Networks[key]
		if !ok {
			return nil, fmt.Errorf("network %s is not declared in the project", key)
		}
		if have, ok := owned[n.Name]; ok && !bool(n.External) {
			warnNetworkDrift(model.Name, key, n, have, progress)
			ids[key] = have.ID
			continue
		}
		id, err := e.findNetwork(ctx, n.Name)
		if err != nil {
			return nil, err
		}
		switch {
		case id == "" && bool(n.External):
			return nil, fmt.Errorf("network %s is declared as external, but could not be found: create it with `docker network create %s`", n.Name, n.Name)
		case id == "":
			if id, err = e.createNetwork(ctx, model.Name, key, n, progress); err != nil {
				return nil, err
			}
		case !bool(n.External):
			progress.report(Progress{Kind: ProgressWarning, Subject: n.Name,
				Text: "a network with this name exists but was not created for this project; set `external: true` to use it on purpose"})
		}
		ids[key] = id
	}
	return ids, nil
}

// warnNetworkDrift reports a network whose configuration changed since it
// was created. Compose would recreate it, which disconnects every container;
// devstack leaves that to an explicit down.
func warnNetworkDrift(project, key string, n types.NetworkConfig, have network.Summary, progress ProgressFunc) {
	want, err := networkLabels(project, key, n)
	if err != nil || have.Labels[labelConfigHash] == "" || have.Labels[labelConfigHash] == want[labelConfigHash] {
		return
	}
	progress.report(Progress{Kind: ProgressWarning, Subject: n.Name,
		Text: "network configuration changed; run down then up to apply it"})
}

// findNetwork returns the ID of the network with exactly that name, or "".
func (e *Engine) findNetwork(ctx context.Context, name string) (string, error) {
	res, err := e.api.NetworkList(ctx, client.NetworkListOptions{Filters: make(client.Filters).Add("name", name)})
	if err != nil {
		return "", fmt.Errorf("look up network %s: %w", name, err)
	}
	for _, n := range res.Items {
		// the name filter matches substrings
		if n.Name == name {
			return n.ID, nil
		}
	}
	return "", nil
}

func (e *Engine) createNetwork(ctx context.Context, project, key string, n types.NetworkConfig, progress ProgressFunc) (string, error) {
	labels, err := networkLabels(project, key, n)
	if err != nil {
		return "", err
	}
	ipam, err := networkIPAM(n.Ipam)
	if err != nil {
		return "", fmt.Errorf("create network %s: %w", n.Name, err)
	}
	progress.report(Progress{Kind: ProgressCreating, Subject: n.Name})
	res, err := e.api.NetworkCreate(ctx, n.Name, client.NetworkCreateOptions{
		Labels:     labels,
		Driver:     n.Driver,
		Options:    n.DriverOpts,
		Internal:   n.Internal,
		Attachable: n.Attachable,
		IPAM:       ipam,
		EnableIPv4: n.EnableIPv4,
		EnableIPv6: n.EnableIPv6,
	})
	if cerrdefs.IsConflict(err) {
		// another up created it meanwhile: use that one
		return e.findNetwork(ctx, n.Name)
	}
	if err != nil {
		return "", fmt.Errorf("create network %s: %w", n.Name, err)
	}
	progress.report(Progress{Kind: ProgressCreated, Subject: n.Name})
	return e.settleNetwork(ctx, n.Name, res.ID, progress)
}

func networkIPAM(c types.IPAMConfig) (*network.IPAM, error) {
	if c.Driver == "" && len(c.Config) == 0 && len(c.Options) == 0 {
		return nil, nil
	}
	ipam := &network.IPAM{Driver: c.Driver, Options: c.Options}
	for _, pool := range c.Config {
		var cfg network.IPAMConfig
		var err error
		if pool.Subnet != "" {
			if cfg.Subnet, err = netip.ParsePrefix(pool.Subnet); err != nil {
				return nil, fmt.Errorf("subnet %q: %w", pool.Subnet, err)
			}
		}
		if pool.IPRange != "" {
			if cfg.IPRange, err = netip.ParsePrefix(pool.IPRange); err != nil {
				return nil, fmt.Errorf("ip_range %q: %w", pool.IPRange, err)
			}
		}
		if pool.Gateway != "" {
			if cfg.Gateway, err = netip.ParseAddr(pool.Gateway); err != nil {
				return nil, fmt.Errorf("gateway %q: %w", pool.Gateway, err)
			}
		}
		ipam.Config = append(ipam.Config, cfg)
	}
	return ipam, nil
}

// networkSettings chooses a container's network mode and endpoints: the
// service's networks by priority, each with the container name, the
// service name and the configured aliases, as Compose sets them.
func networkSettings(model *types.Project, sc types.ServiceConfig, t createTarget) (container.NetworkMode, *network.NetworkingConfig, []networkJoin, error) {
	if sc.NetworkMode != "" {
		return container.NetworkMode(sc.NetworkMode), nil, nil, nil
	}
	if len(model.Networks) == 0 {
		return network.NetworkNone, nil, nil, nil
	}
	keys := sc.NetworksByPriority()
	if len(keys) == 0 {
		keys = []string{"default"}
	}
	cfg := &network.NetworkingConfig{EndpointsConfig: map[string]*network.EndpointSettings{}}
	var later []networkJoin
	for i, key := range keys {
		ep, err := endpointSettings(sc, key, t.name)
		if err != nil {
			return "", nil, nil, err
		}
		ep.Links = t.links
		if i == 0 && len(ep.MacAddress) == 0 && sc.MacAddress != "" {
			// the service-level mac_address belongs to the primary network
			mac, err := net.ParseMAC(sc.MacAddress)
			if err != nil {
				return "", nil, nil, fmt.Errorf("service %s: mac_address: %w", sc.Name, err)
			}
			ep.MacAddress = network.HardwareAddr(mac)
		}
		netName := model.Networks[key].Name
		if i == 0 || !apiBefore(t.apiVersion, "1.44") {
			cfg.EndpointsConfig[netName] = ep
			continue
		}
		later = append(later, networkJoin{network: netName, endpoint: ep})
	}
	return container.NetworkMode(model.Networks[keys[0]].Name), cfg, later, nil
}

func endpointSettings(sc types.ServiceConfig, key, name string) (*network.EndpointSettings, error) {
	ep := &network.EndpointSettings{Aliases: []string{name, sc.Name}}
	c := sc.Networks[key]
	if c == nil {
		return ep, nil
	}
	ep.Aliases = append(ep.Aliases, c.Aliases...)
	ep.DriverOpts = c.DriverOpts
	ep.GwPriority = c.GatewayPriority
	if c.Ipv4Address != "" || c.Ipv6Address != "" || len(c.LinkLocalIPs) > 0 {
		ipam, err := endpointIPAM(c)
		if err != nil {
			return nil, fmt.Errorf("service %s: network %s: %w", sc.Name, key, err)
		}
		ep.IPAMConfig = ipam
	}
	if c.MacAddress != "" {
		mac, err := net.ParseMAC(c.MacAddress)
		if err != nil {
			return nil, fmt.Errorf("service %s: network %s: mac_address: %w", sc.Name, key, err)
		}
		ep.MacAddress = network.HardwareAddr(mac)
	}
	return ep, nil
}

func endpointIPAM(c *types.ServiceNetworkConfig) (*network.EndpointIPAMConfig, error) {
	ipam := &network.EndpointIPAMConfig{}
	var err error
	if c.Ipv4Address != "" {
		if ipam.IPv4Address, err = netip.ParseAddr(c.Ipv4Address); err != nil {
			return nil, fmt.Errorf("ipv4_address: %w", err)
		}
	}
	if c.Ipv6Address != "" {
		if ipam.IPv6Address, err = netip.ParseAddr(c.Ipv6Address); err != nil {
			return nil, fmt.Errorf("ipv6_address: %w", err)
		}
	}
	for _, s := range c.LinkLocalIPs {
		a, err := netip.ParseAddr(s)
		if err != nil {
			return nil, fmt.Errorf("link_local_ips: %w", err)
		}
		ipam.LinkLocalIPs = append(ipam.LinkLocalIPs, a)
	}
	return ipam, nil
}

// legacyLinks renders links: and external_links: as the engine's
// "<container>:<alias>" pairs, with the aliases Compose adds.
func legacyLinks(project string, sc types.ServiceConfig, n int, containersOf func(service string) []string) []string {
	var out []string
	for _, raw := range sc.Links {
		service, alias, ok := strings.Cut(raw, ":")
		if !ok {
			alias = service
		}
		for _, c := range containersOf(service) {
			num := strconv.Itoa(n)
			out = append(out, c+":"+alias, c+":"+service+"-"+num, c+":"+project+"-"+service+"-"+num)
		}
	}
	for _, raw := range sc.ExternalLinks {
		name, alias, ok := strings.Cut(raw, ":")
		if !ok {
			alias = name
		}
		out = append(out, name+":"+alias)
	}
	return out
}
