package stack

import (
	"bytes"
	"errors"
	"fmt"

	"github.com/devstack/devstack/stack/internal/composeload"
)

// ErrNotLegacy means MigrateFiles was asked to convert a project whose
// files are already in the current format.
var ErrNotLegacy = errors.New("compose files are already in the current format")

// MarshalYAML renders the project's canonical model the way
// `docker compose config` prints it: interpolated, paths absolute, env_file
// folded into environment, defaults filled in, and every literal $ written
// $$ so the output loads back to the same values.
func (p *Project) MarshalYAML() ([]byte, error) {
	if p.model == nil || p.model.project == nil {
		return nil, fmt.Errorf("config %s: project was not loaded", p.Name)
	}
	out, err := p.model.project.MarshalYAML()
	if err != nil {
		return nil, fmt.Errorf("config %s: %w", p.Name, err)
	}
	return bytes.ReplaceAll(out, []byte("$"), []byte("$$")), nil
}

// configHashes returns Compose's config hash of the named active services
// (all of them when names is empty or is "*"), keyed by service name: what
// `docker compose config --hash` prints.
func (p *Project) configHashes(names ...string) (map[string]string, error) {
	if len(names) == 0 || (len(names) == 1 && names[0] == "*") {
		names = p.ServiceNames()
	}
	out := make(map[string]string, len(names))
	for _, n := range names {
		s, ok := p.Service(n)
		if !ok {
			return nil, fmt.Errorf("config hash %s: %w", n, ErrUnknownService)
		}
		out[n] = s.Hash
	}
	return out, nil
}

// MigratedFile is a legacy (v1) compose file converted to the current
// format: the file it came from, the file it should be written to, and the
// content, which keeps paths and variables as they were written.
type MigratedFile = composeload.MigratedFile

// MigrateFiles converts every legacy file of the project. It returns
// ErrNotLegacy when none is legacy. Nothing is written: the caller decides.
func MigrateFiles(p *Project) ([]MigratedFile, error) {
	if p.model == nil || len(p.model.migrated) == 0 {
		return nil, fmt.Errorf("migrate %s: %w", p.Name, ErrNotLegacy)
	}
	// Copies: the caller may change what it gets without changing the project.
	out := make([]MigratedFile, 0, len(p.model.migrated))
	for _, m := range p.model.migrated {
		m.Content = bytes.Clone(m.Content)
		out = append(out, m)
	}
	return out, nil
}
