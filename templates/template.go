package templates

import (
	"errors"
	"fmt"
	"path"
	"sort"
	"strings"
)

// composeNames are the file names docker compose looks for, in its order.
var composeNames = []string{"compose.yaml", "compose.yml", "docker-compose.yml", "docker-compose.yaml"}

// ErrNoCompose means a template has no compose file at its root.
var ErrNoCompose = errors.New("template has no compose file")

// Template is a checked template held in memory, ready for Init.
type Template struct {
	Manifest Manifest
	// Source says where the template came from: "builtin:NAME", a path,
	// a URL or an oci:// reference.
	Source string
	// ComposeFile is the compose file's name at the template's root.
	ComposeFile string
	entries     []entry
}

// Info is a template as listed: enough to choose one.
type Info struct {
	Name        string
	Description string
	Version     string
	// Source is what to pass to Open to get this template.
	Source  string
	Builtin bool
}

// Info returns the listing line for the template.
func (t *Template) Info() Info {
	return Info{
		Name: t.Manifest.Name, Description: t.Manifest.Description, Version: t.Manifest.Version,
		Source: t.Source, Builtin: strings.HasPrefix(t.Source, builtinPrefix),
	}
}

// Options are the values the template asks for, in manifest order.
func (t *Template) Options() []Option {
	return append([]Option(nil), t.Manifest.Options...)
}

// files lists the template's files and folders as they will be written by
// Init (env examples under their real names, plus .env), sorted.
func (t *Template) files() []string {
	var names []string
	hasEnv := false
	for _, e := range t.entries {
		n := writtenName(e)
		hasEnv = hasEnv || n == ".env"
		names = append(names, n)
	}
	if !hasEnv {
		names = append(names, ".env")
	}
	sort.Strings(names)
	return names
}

func newTemplate(entries []entry) (*Template, error) {
	t := &Template{entries: entries}
	var manifest *entry
	for i, e := range entries {
		if e.name == ManifestFile && e.kind == kindFile {
			manifest = &entries[i]
		}
	}
	if manifest == nil {
		return nil, fmt.Errorf("unpack: %w: %s is missing", ErrInvalidManifest, ManifestFile)
	}
	m, err := parseManifest(manifest.data)
	if err != nil {
		return nil, fmt.Errorf("unpack: %w", err)
	}
	t.Manifest = m
	written := map[string]string{}
	for _, e := range entries {
		n := writtenName(e)
		if other, dup := written[n]; dup {
			return nil, fmt.Errorf("unpack: %w: %s and %s would both be written as %s", ErrUnsafePackage, other, e.name, n)
		}
		written[n] = e.name
	}
	for _, n := range composeNames {
		for _, e := range entries {
			if e.name == n && e.kind == kindFile {
				t.ComposeFile = n
				return t, nil
			}
		}
	}
	return nil, fmt.Errorf("unpack: %w (looked for %s)", ErrNoCompose, strings.Join(composeNames, ", "))
}

// writtenName maps a packaged name to the name Init writes: env examples
// that pack made from real env files get their real names back.
func writtenName(e entry) string {
	if base, ok := strings.CutSuffix(e.name, exampleSuffix); ok && e.kind == kindFile && isEnvFileName(path.Base(base)) {
		return base
	}
	return e.name
}

// matchesAny reports whether name or one of its parents matches a data
// pattern (.dockerignore syntax, without exclusions).
func matchesAny(patterns []string, name string) bool {
	for _, p := range patterns {
		p = strings.TrimSuffix(strings.TrimPrefix(p, "./"), "/")
		for n := name; n != "." && n != "/"; n = path.Dir(n) {
			if ok, _ := path.Match(p, n); ok {
				return true
			}
		}
	}
	return false
}
