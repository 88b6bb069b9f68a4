package composev1

import (
	"bytes"
	"errors"
	"fmt"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/devstack/devstack/stack/internal/yamlpos"
)

// currentTopLevel are the top-level keys of the current format; a file
// whose other top-level keys are service definitions is in the v1 format.
var currentTopLevel = map[string]bool{
	"version": true, "name": true, "services": true, "networks": true, "volumes": true,
	"secrets": true, "configs": true, "include": true, "models": true,
}

// Detect reports whether content is a compose v1 file: a top-level mapping
// without a services: key whose entries are service definitions (mappings).
// version: "1" is accepted as a v1 marker too.
func Detect(content []byte) bool {
	root := yamlpos.TopMapping(content)
	if root == nil {
		return false
	}
	services := 0
	for i := 0; i+1 < len(root.Content); i += 2 {
		key, val := root.Content[i].Value, yamlpos.ResolveAlias(root.Content[i+1])
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

// Note is what the conversion says about something it could not keep as
// it was, at a line of the v1 file (0 when it concerns a whole service).
type Note struct {
	Line    int
	Service string
	// Key is the service's key the note is about ("links").
	Key     string
	Message string
}

// conversion is the current-format document built from a v1 file, and
// what the conversion had to say about it.
type conversion struct {
	doc     *yaml.Node
	notes   []Note
	aliases map[string][]string // service -> aliases its linkers used
	named   []string            // named volumes, in order of first use
	names   map[string]bool     // service names
}

// Convert converts a v1 file to the current format: services move
// under services:, links become depends_on plus network aliases on the
// default network, net: becomes network_mode, dockerfile moves into build,
// log_driver/log_opt into logging, and named volumes are declared with
// their unprefixed names (v1 did not prefix them with the project name, so
// this keeps the user's data). Other keys are kept as written.
func Convert(content []byte) ([]byte, []Note, error) {
	root := yamlpos.TopMapping(content)
	if root == nil {
		return nil, nil, errors.New("convert legacy compose file: not a YAML mapping")
	}
	c := &conversion{aliases: map[string][]string{}, names: map[string]bool{}}
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
