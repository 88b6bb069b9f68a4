package yamlpos

import (
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"
)

// File is one compose file's YAML tree, kept to say where a key is.
// compose-go reports schema and interpolation errors by dotted path only.
type File struct {
	Name string
	Root *yaml.Node // the top-level mapping; nil when the file does not parse
	// Legacy files (compose file format v1) keep their services at the
	// top level: a path services.app.x is found at app.x.
	Legacy bool
}

// Files are a project's files in load order; later files override earlier
// ones, so lookups prefer the last file that has the key.
type Files []File

// Parse reads one file's content. A file that does not parse is kept
// without a tree: compose-go reports the syntax error with its line.
func Parse(name string, content []byte) File {
	return File{Name: name, Root: TopMapping(content)}
}

// TopMapping parses YAML content and returns its top-level mapping node,
// or nil when the content does not parse or is not a mapping.
func TopMapping(content []byte) *yaml.Node {
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

// Position is where a key was found: the file, the line of the key (or of
// the sequence item) and how many segments of the wanted path matched.
type Position struct {
	File  string
	Line  int
	Depth int
	// Node is the value found there (the scalar, or the mapping under the
	// key), to tell where an interpolated value came from.
	Node *yaml.Node
}

// Find locates a dotted path (already split, see SplitPath) in the files.
// The file named prefer wins when it has the key; otherwise the last file
// with the deepest match. Depth 0 means the path was not found anywhere.
func (fs Files) Find(path []string, prefer string) Position {
	var best Position
	for _, f := range fs {
		p := f.find(path)
		if p.Depth == 0 {
			continue
		}
		if f.Name == prefer && p.Depth == len(path) {
			return p
		}
		if p.Depth >= best.Depth {
			best = p
		}
	}
	return best
}

func (f File) find(path []string) Position {
	if f.Root == nil {
		return Position{}
	}
	if f.Legacy && len(path) > 0 && path[0] == "services" {
		path = path[1:]
		if len(path) == 0 {
			return Position{File: f.Name, Line: 1, Depth: 1}
		}
	}
	node, best := f.Root, Position{}
	for i, seg := range path {
		key, val := Child(node, seg)
		if key == nil {
			break
		}
		best = Position{File: f.Name, Line: key.Line, Depth: i + 1, Node: val}
		if f.Legacy {
			best.Depth++
		}
		node = val
	}
	return best
}

// Child returns the node that names seg inside node (the key of a mapping
// entry, or a sequence item picked by index or by value) and its value,
// following aliases and merge keys; nil, nil when there is none.
func Child(node *yaml.Node, seg string) (key, value *yaml.Node) {
	return childDepth(node, seg, 0)
}

// maxMergeDepth bounds how far merge keys (<<: *base) are followed, so a
// merge that refers to itself cannot loop.
const maxMergeDepth = 4

func childDepth(node *yaml.Node, seg string, depth int) (*yaml.Node, *yaml.Node) {
	node = ResolveAlias(node)
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

// ResolveAlias follows an alias to its anchored node. It never returns
// nil: a dangling alias becomes an empty node that matches nothing.
func ResolveAlias(n *yaml.Node) *yaml.Node {
	for i := 0; n != nil && n.Kind == yaml.AliasNode && i < 8; i++ {
		n = n.Alias
	}
	if n == nil {
		return &yaml.Node{}
	}
	return n
}

// FindValue looks for a scalar containing text under the given path prefix
// ("*" matches any segment), for errors that quote a bad value but not its
// key, and returns its position and full path.
func (fs Files) FindValue(prefix []string, text string) (Position, []string) {
	if text == "" {
		return Position{}, nil
	}
	return fs.FindScalar(prefix, func(v string) bool { return strings.Contains(v, text) })
}

// FindScalar finds the last scalar under prefix ("*" matches any segment)
// whose text matches, and returns its position and full path.
func (fs Files) FindScalar(prefix []string, match func(string) bool) (Position, []string) {
	for i := len(fs) - 1; i >= 0; i-- {
		f := fs[i]
		if f.Root == nil {
			continue
		}
		var path []string
		if f.Legacy {
			path = []string{"services"}
		}
		var found *yaml.Node
		var foundPath []string
		walkScalars(f.Root, path, func(n *yaml.Node, p []string) bool {
			if match(n.Value) && hasPrefix(p, prefix) {
				found, foundPath = n, p
				return true
			}
			return false
		})
		if found != nil {
			return Position{File: f.Name, Line: found.Line, Depth: len(foundPath), Node: found}, foundPath
		}
	}
	return Position{}, nil
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

// SplitPath turns compose-go's paths into segments: services.app.ports,
// services[app].mem_limit and services.app.ports[0] all work.
func SplitPath(p string) []string {
	p = strings.NewReplacer("[", ".", "]", "").Replace(strings.Trim(p, ". '\""))
	var out []string
	for _, seg := range strings.Split(p, ".") {
		if seg != "" {
			out = append(out, seg)
		}
	}
	return out
}
