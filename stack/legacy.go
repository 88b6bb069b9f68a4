package stack

import (
	"bytes"
	"fmt"
	"strings"

	"github.com/compose-spec/compose-go/v2/types"
	"go.yaml.in/yaml/v3"
)

// legacyWarning is what a user sees when a file was converted.
const legacyWarning = "legacy compose v1 format: converted in memory; run `devstack config --migrate` to write compose.yaml"

// currentTopLevel are the top-level keys of the current format; a file
// whose other top-level keys are service definitions is in the v1 format.
var currentTopLevel = map[string]bool{
	"version": true, "name": true, "services": true, "networks": true, "volumes": true,
	"secrets": true, "configs": true, "include": true, "models": true,
}

// isLegacy reports whether a file's top-level mapping is a compose v1 file:
// no services: key, and its entries are service definitions (mappings with
// an image or a build). version: "1" is accepted as a legacy marker too.
func isLegacy(root *yaml.Node) bool {
	if root == nil || root.Kind != yaml.MappingNode {
		return false
	}
	services := 0
	for i := 0; i+1 < len(root.Content); i += 2 {
		key, val := root.Content[i].Value, resolveAlias(root.Content[i+1])
		switch {
		case key == "services":
			return false
		case key == "version":
			if v := strings.TrimSpace(val.Value); v != "1" && v != "1.0" {
				return false
			}
		case strings.HasPrefix(key, "x-") || currentTopLevel[key]:
		case val.Kind == yaml.MappingNode:
			services++
		default:
			return false
		}
	}
	return services > 0
}

// legacyConversion is the current-format document built from a v1 file,
// and what the conversion had to say about it.
type legacyConversion struct {
	doc     *yaml.Node
	notes   []Warning
	aliases map[string][]string // service -> aliases its linkers used
	named   []string            // named volumes, in order of first use
	names   map[string]bool     // service names
}

// convertLegacy converts a v1 file to the current format: services move
// under services:, links become depends_on plus network aliases on the
// default network, net: becomes network_mode, dockerfile moves into build,
// log_driver/log_opt into logging, and named volumes are declared with
// their unprefixed names (v1 did not prefix them with the project name, so
// this keeps the user's data). Other keys are kept as written.
func convertLegacy(content []byte) ([]byte, []Warning, error) {
	root := topMapping(content)
	c := &legacyConversion{aliases: map[string][]string{}, names: map[string]bool{}}
	for i := 0; i+1 < len(root.Content); i += 2 {
		if k := root.Content[i].Value; !currentTopLevel[k] && !strings.HasPrefix(k, "x-") {
			c.names[k] = true
		}
	}
	services := &yaml.Node{Kind: yaml.MappingNode}
	out := &yaml.Node{Kind: yaml.MappingNode}
	// The file's opening comment stays at the top, not above the first service.
	doc := &yaml.Node{Kind: yaml.DocumentNode, Content: []*yaml.Node{out}}
	if len(root.Content) > 0 {
		first := *root.Content[0]
		doc.HeadComment, first.HeadComment = first.HeadComment, ""
		root.Content[0] = &first
	}
	for i := 0; i+1 < len(root.Content); i += 2 {
		key, val := root.Content[i], root.Content[i+1]
		switch {
		case key.Value == "version":
		case c.names[key.Value]:
			services.Content = append(services.Content, key, c.service(key.Value, val))
		default:
			out.Content = append(out.Content, key, val)
		}
	}
	c.applyAliases(services)
	out.Content = append(out.Content, scalar("services"), services)
	if len(c.named) > 0 {
		vols := &yaml.Node{Kind: yaml.MappingNode}
		for _, v := range c.named {
			vols.Content = append(vols.Content, scalar(v), mapping("name", scalar(v)))
		}
		out.Content = append(out.Content, scalar("volumes"), vols)
	}
	var buf bytes.Buffer
	enc := yaml.NewEncoder(&buf)
	enc.SetIndent(2)
	if err := enc.Encode(doc); err != nil {
		return nil, nil, fmt.Errorf("convert legacy compose file: %w", err)
	}
	if err := enc.Close(); err != nil {
		return nil, nil, fmt.Errorf("convert legacy compose file: %w", err)
	}
	return buf.Bytes(), c.notes, nil
}

// service converts one v1 service definition. Converted keys take the
// place of the key they come from, so the file keeps its order.
func (c *legacyConversion) service(name string, node *yaml.Node) *yaml.Node {
	node = resolveAlias(node)
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
	_, hasDockerfile := child(node, "dockerfile")
	for i := 0; i+1 < len(node.Content); i += 2 {
		key, val := node.Content[i], resolveAlias(node.Content[i+1])
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
func (c *legacyConversion) links(name string, val *yaml.Node) []string {
	var deps []string
	for _, item := range val.Content {
		target, alias, _ := strings.Cut(item.Value, ":")
		if !c.names[target] {
			c.notes = append(c.notes, Warning{Line: item.Line, Service: name, Key: "links",
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
func (c *legacyConversion) applyAliases(services *yaml.Node) {
	for i := 0; i+1 < len(services.Content); i += 2 {
		name, svc := services.Content[i].Value, services.Content[i+1]
		aliases := c.aliases[name]
		if len(aliases) == 0 || svc.Kind != yaml.MappingNode {
			continue
		}
		if _, v := child(svc, "network_mode"); v != nil {
			c.notes = append(c.notes, Warning{Service: name, Key: "links",
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
func (c *legacyConversion) networkMode(val *yaml.Node) *yaml.Node {
	if target, ok := strings.CutPrefix(val.Value, "container:"); ok && c.names[target] {
		return scalar("service:" + target)
	}
	return val
}

// volumesFrom keeps services and marks other names as containers, the way
// v1 resolved them.
func (c *legacyConversion) volumesFrom(val *yaml.Node) *yaml.Node {
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
func (c *legacyConversion) noteNamedVolumes(val *yaml.Node) {
	if val.Kind != yaml.SequenceNode {
		return
	}
	for _, item := range val.Content {
		src, _, ok := strings.Cut(item.Value, ":")
		if item.Kind != yaml.ScalarNode || !ok || src == "" || strings.ContainsAny(src[:1], "./~$\\") {
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

// convertLegacy converts every v1 file of the project in memory, marks its
// source as legacy for positions and records what Migrate will write.
func (l *loaded) convertLegacy(details *types.ConfigDetails) error {
	for i, f := range details.ConfigFiles {
		if !isLegacy(topMapping(f.Content)) {
			continue
		}
		converted, notes, err := convertLegacy(f.Content)
		if err != nil {
			return fmt.Errorf("load project: %s: %w", f.Filename, err)
		}
		l.legacy = true
		l.sources[i].legacy = true
		l.migrated = append(l.migrated, MigratedFile{Source: f.Filename, Content: converted})
		l.warnings = append(l.warnings, Warning{File: f.Filename, Line: 1, Message: legacyWarning})
		for _, n := range notes {
			n.File = f.Filename
			l.warnings = append(l.warnings, n)
		}
		details.ConfigFiles[i].Content = converted
	}
	return nil
}
