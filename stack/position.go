package stack

import (
	"strconv"
	"strings"

	"github.com/compose-spec/compose-go/v2/types"
	"go.yaml.in/yaml/v3"
)

// sourceFile is one compose file's YAML tree, kept to say where a key is.
// compose-go reports schema and interpolation errors by dotted path only.
type sourceFile struct {
	name string
	root *yaml.Node // the top-level mapping; nil when the file does not parse
	// legacy files keep their services at the top level: a path
	// services.app.x is found at app.x.
	legacy bool
}

// sources are the project's files in load order; later files override
// earlier ones, so lookups prefer the last file that has the key.
type sources []sourceFile

// parseSources parses each file's content. A file that does not parse is
// kept without a tree: compose-go reports the syntax error with its line.
func parseSources(files []types.ConfigFile) sources {
	out := make(sources, 0, len(files))
	for _, f := range files {
		out = append(out, sourceFile{name: f.Filename, root: topMapping(f.Content)})
	}
	return out
}

// topMapping parses YAML content and returns its top-level mapping node.
func topMapping(content []byte) *yaml.Node {
	var doc yaml.Node
	if err := yaml.Unmarshal(content, &doc); err != nil {
		return nil
	}
	if doc.Kind != yaml.DocumentNode || len(doc.Content) == 0 {
		return nil
	}
	root := doc.Content[0]
	if root.Kind != yaml.MappingNode {
		return nil
	}
	return root
}

// position is where a key was found: the file, the line of the key (or of
// the sequence item) and how many segments of the wanted path matched.
type position struct {
	file  string
	line  int
	depth int
	// node is the value found there (the scalar, or the mapping under the
	// key), to tell where an interpolated value came from.
	node *yaml.Node
}

// find locates a dotted path (already split) in the files. The file named
// prefer wins when it has the key; otherwise the last file with the deepest
// match. depth 0 means the path was not found anywhere.
func (s sources) find(path []string, prefer string) position {
	var best position
	for _, f := range s {
		p := f.find(path)
		if p.depth == 0 {
			continue
		}
		if f.name == prefer && p.depth == len(path) {
			return p
		}
		if p.depth >= best.depth {
			best = p
		}
	}
	return best
}

func (f sourceFile) find(path []string) position {
	if f.root == nil {
		return position{}
	}
	if f.legacy && len(path) > 0 && path[0] == "services" {
		path = path[1:]
		if len(path) == 0 {
			return position{file: f.name, line: 1, depth: 1}
		}
	}
	node, best := f.root, position{}
	for i, seg := range path {
		key, val := child(node, seg)
		if key == nil {
			break
		}
		best = position{file: f.name, line: key.Line, depth: i + 1, node: val}
		if f.legacy {
			best.depth++
		}
		node = val
	}
	return best
}

// child returns the node that names seg inside node (the key of a mapping
// entry, or a sequence item picked by index or by value) and its value.
func child(node *yaml.Node, seg string) (*yaml.Node, *yaml.Node) {
	return childDepth(node, seg, 0)
}

// maxMergeDepth bounds how far merge keys (<<: *base) are followed, so a
// merge that refers to itself cannot loop.
const maxMergeDepth = 4

func childDepth(node *yaml.Node, seg string, depth int) (*yaml.Node, *yaml.Node) {
	node = resolveAlias(node)
	if depth > maxMergeDepth {
		return nil, nil
	}
	switch node.Kind {
	case yaml.MappingNode:
		for i := 0; i+1 < len(node.Content); i += 2 {
			if node.Content[i].Value == seg {
				return node.Content[i], node.Content[i+1]
			}
		}
		// Merge keys (<<: *base) bring keys from elsewhere in the file.
		for i := 0; i+1 < len(node.Content); i += 2 {
			if node.Content[i].Value == "<<" {
				if k, v := childDepth(node.Content[i+1], seg, depth+1); k != nil {
					return k, v
				}
			}
		}
	case yaml.SequenceNode:
		if n, err := strconv.Atoi(seg); err == nil && n >= 0 && n < len(node.Content) {
			return node.Content[n], node.Content[n]
		}
		for _, item := range node.Content {
			if item.Kind == yaml.ScalarNode && (item.Value == seg || strings.HasPrefix(item.Value, seg+":")) {
				return item, item
			}
		}
	}
	return nil, nil
}

// resolveAlias follows an alias to its anchored node. It never returns
// nil: a dangling alias becomes an empty node that matches nothing.
func resolveAlias(n *yaml.Node) *yaml.Node {
	for i := 0; n != nil && n.Kind == yaml.AliasNode && i < 8; i++ {
		n = n.Alias
	}
	if n == nil {
		return &yaml.Node{}
	}
	return n
}

// findValue looks for a scalar containing text under the given path prefix
// ("*" matches any segment), for errors that quote a bad value but not its
// key, and returns its position and full path.
func (s sources) findValue(prefix []string, text string) (position, []string) {
	if text == "" {
		return position{}, nil
	}
	return s.findScalar(prefix, func(v string) bool { return strings.Contains(v, text) })
}

// findInterpolated is findValue for a value that is not in the files as
// written because a variable brought it: it finds the scalar whose
// interpolation with env contains text.
func (s sources) findInterpolated(prefix []string, text string, env map[string]string) (position, []string) {
	if text == "" {
		return position{}, nil
	}
	return s.findScalar(prefix, func(v string) bool {
		return strings.Contains(v, "$") && strings.Contains(interpolate(v, env), text)
	})
}

// findScalar finds the last scalar under prefix whose text matches.
func (s sources) findScalar(prefix []string, match func(string) bool) (position, []string) {
	for i := len(s) - 1; i >= 0; i-- {
		f := s[i]
		if f.root == nil {
			continue
		}
		var path []string
		if f.legacy {
			path = []string{"services"}
		}
		var found *yaml.Node
		var foundPath []string
		walkScalars(f.root, path, func(n *yaml.Node, p []string) bool {
			if match(n.Value) && hasPrefix(p, prefix) {
				found, foundPath = n, p
				return true
			}
			return false
		})
		if found != nil {
			return position{file: f.name, line: found.Line, depth: len(foundPath), node: found}, foundPath
		}
	}
	return position{}, nil
}

// walkScalars calls visit for every scalar value under node with the path
// of mapping keys that leads to it, until visit returns true. Aliases are
// not followed: their text is written, and found, at the anchor (and
// following them could loop or blow up).
func walkScalars(node *yaml.Node, path []string, visit func(*yaml.Node, []string) bool) bool {
	switch node.Kind {
	case yaml.ScalarNode:
		return visit(node, path)
	case yaml.MappingNode:
		for i := 0; i+1 < len(node.Content); i += 2 {
			p := append(append([]string{}, path...), node.Content[i].Value)
			if walkScalars(node.Content[i+1], p, visit) {
				return true
			}
		}
	case yaml.SequenceNode:
		for _, item := range node.Content {
			if walkScalars(item, path, visit) {
				return true
			}
		}
	}
	return false
}

func hasPrefix(path, prefix []string) bool {
	if len(prefix) > len(path) {
		return false
	}
	for i, seg := range prefix {
		if seg != "*" && seg != path[i] {
			return false
		}
	}
	return true
}

// splitPath turns compose-go's paths into segments: services.app.ports,
// services[app].mem_limit and services.app.ports[0] all work.
func splitPath(p string) []string {
	p = strings.NewReplacer("[", ".", "]", "").Replace(strings.Trim(p, ". '\""))
	var out []string
	for _, seg := range strings.Split(p, ".") {
		if seg != "" {
			out = append(out, seg)
		}
	}
	return out
}
