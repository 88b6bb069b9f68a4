package composev1

import (
	"fmt"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/devstack/devstack/stack/internal/yamlpos"
)

// The per-service rules of the v1 conversion (see Convert).

// service converts one v1 service definition. Converted keys take the
// place of the key they come from, so the file keeps its order.
func (c *conversion) service(name string, node *yaml.Node) *yaml.Node {
	node = yamlpos.ResolveAlias(node)
	if node.Kind != yaml.MappingNode {
		return node
	}
	out := &yaml.Node{Kind: yaml.MappingNode, Line: node.Line, Column: node.Column}
	// build:, logging: and depends_on: may gather several v1 keys; each is
	// created where the first of them stood.
	grouped := map[string]*yaml.Node{}
	group := func(key *yaml.Node, name string, kind yaml.Kind) *yaml.Node {
		if n, ok := grouped[name]; ok {
			return n
		}
		n := &yaml.Node{Kind: kind}
		grouped[name] = n
		out.Content = append(out.Content, renamed(key, name), n)
		return n
	}
	_, hasDockerfile := yamlpos.Child(node, "dockerfile")
	for i := 0; i+1 < len(node.Content); i += 2 {
		key, val := node.Content[i], yamlpos.ResolveAlias(node.Content[i+1])
		switch key.Value {
		case "links":
			deps := group(key, "depends_on", yaml.SequenceNode)
			for _, d := range c.links(name, val) {
				deps.Content = append(deps.Content, scalar(d))
			}
		case "net":
			out.Content = append(out.Content, renamed(key, "network_mode"), c.networkMode(val))
		case "build", "dockerfile":
			if hasDockerfile == nil {
				out.Content = append(out.Content, key, node.Content[i+1])
				continue
			}
			b := group(key, "build", yaml.MappingNode)
			if key.Value == "dockerfile" {
				b.Content = append(b.Content, scalar("dockerfile"), val)
			} else if val.Kind == yaml.ScalarNode {
				b.Content = append(b.Content, scalar("context"), val)
			} else {
				b.Content = append(b.Content, val.Content...)
			}
		case "log_driver", "log_opt":
			field := map[string]string{"log_driver": "driver", "log_opt": "options"}[key.Value]
			l := group(key, "logging", yaml.MappingNode)
			l.Content = append(l.Content, scalar(field), val)
		case "volumes":
			c.noteNamedVolumes(val)
			out.Content = append(out.Content, key, node.Content[i+1])
		case "volumes_from":
			out.Content = append(out.Content, key, c.volumesFrom(val))
		default:
			out.Content = append(out.Content, key, node.Content[i+1])
		}
	}
	if deps := grouped["depends_on"]; deps != nil && len(deps.Content) == 0 {
		out.Content = removeKey(out.Content, "depends_on")
	}
	return out
}

// removeKey drops a key and its value from a mapping's content.
func removeKey(content []*yaml.Node, key string) []*yaml.Node {
	for i := 0; i+1 < len(content); i += 2 {
		if content[i].Value == key {
			return append(content[:i:i], content[i+2:]...)
		}
	}
	return content
}

// links turns "db" and "db:alias" into dependencies, and remembers the
// aliases so the linked service answers to them on the default network.
func (c *conversion) links(name string, val *yaml.Node) []string {
	var deps []string
	for _, item := range val.Content {
		target, alias, _ := strings.Cut(item.Value, ":")
		if !c.names[target] {
			c.notes = append(c.notes, Note{Line: item.Line, Service: name, Key: "links",
				Message: fmt.Sprintf("link to %q, which is not a service of this file, was dropped; use external_links for containers outside the project", target)})
			continue
		}
		if !contains(deps, target) {
			deps = append(deps, target)
		}
		if alias != "" && alias != target && !contains(c.aliases[target], alias) {
			c.aliases[target] = append(c.aliases[target], alias)
		}
	}
	return deps
}

// applyAliases adds the link aliases to the linked services' default
// network attachment.
func (c *conversion) applyAliases(services *yaml.Node) {
	for i := 0; i+1 < len(services.Content); i += 2 {
		name, svc := services.Content[i].Value, services.Content[i+1]
		aliases := c.aliases[name]
		if len(aliases) == 0 || svc.Kind != yaml.MappingNode {
			continue
		}
		if _, v := yamlpos.Child(svc, "network_mode"); v != nil {
			c.notes = append(c.notes, Note{Service: name, Key: "links",
				Message: fmt.Sprintf("link aliases %s dropped: the service uses network_mode %s", strings.Join(aliases, ", "), v.Value)})
			continue
		}
		seq := &yaml.Node{Kind: yaml.SequenceNode, Style: yaml.FlowStyle}
		for _, a := range aliases {
			seq.Content = append(seq.Content, scalar(a))
		}
		svc.Content = append(svc.Content, scalar("networks"),
			mapping("default", mapping("aliases", seq)))
	}
}

// networkMode converts v1's net: value; container:<service> becomes
// service:<service>, which is what the current format means by it.
func (c *conversion) networkMode(val *yaml.Node) *yaml.Node {
	if target, ok := strings.CutPrefix(val.Value, "container:"); ok && c.names[target] {
		return scalar("service:" + target)
	}
	return val
}

// volumesFrom keeps services and marks other names as containers, the way
// v1 resolved them.
func (c *conversion) volumesFrom(val *yaml.Node) *yaml.Node {
	if val.Kind != yaml.SequenceNode {
		return val
	}
	seq := &yaml.Node{Kind: yaml.SequenceNode, Style: val.Style}
	for _, item := range val.Content {
		name, _, _ := strings.Cut(item.Value, ":")
		if item.Kind == yaml.ScalarNode && !c.names[name] && !strings.HasPrefix(item.Value, "container:") {
			seq.Content = append(seq.Content, scalar("container:"+item.Value))
			continue
		}
		seq.Content = append(seq.Content, item)
	}
	return seq
}

// noteNamedVolumes records volumes used by name (not a path) in the short
// syntax, which v1 created without declaring them.
func (c *conversion) noteNamedVolumes(val *yaml.Node) {
	if val.Kind != yaml.SequenceNode {
		return
	}
	for _, item := range val.Content {
		src, rest, ok := strings.Cut(item.Value, ":")
		isPath := src == "" || strings.ContainsAny(src[:1], "./~$\\") ||
			(len(src) == 1 && (strings.HasPrefix(rest, "\\") || strings.HasPrefix(rest, "/"))) // C:\ or C:/
		if item.Kind != yaml.ScalarNode || !ok || isPath {
			continue
		}
		if !contains(c.named, src) {
			c.named = append(c.named, src)
		}
	}
}

func renamed(key *yaml.Node, name string) *yaml.Node {
	n := *key
	n.Value = name
	return &n
}

func scalar(v string) *yaml.Node {
	return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: v}
}

func mapping(key string, val *yaml.Node) *yaml.Node {
	return &yaml.Node{Kind: yaml.MappingNode, Content: []*yaml.Node{scalar(key), val}}
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}
