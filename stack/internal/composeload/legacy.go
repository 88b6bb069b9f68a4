package composeload

import (
	"fmt"
	"path/filepath"
	"strings"

	"github.com/compose-spec/compose-go/v2/types"

	"github.com/devstack/devstack/stack/internal/composev1"
)

// legacyWarning is what a user sees when a file was converted.
const legacyWarning = "legacy compose v1 format: converted in memory; run `devstack config --migrate` to write compose.yaml"

// MigratedFile is a legacy (v1) compose file converted to the current
// format: the file it came from, the file it should be written to, and the
// content, which keeps paths and variables as they were written.
type MigratedFile struct {
	Source  string
	Target  string
	Content []byte
}

// convertLegacy converts every v1 file of the project in memory, marks its
// source as legacy for positions and records what `config --migrate` will
// write.
func (r *Result) convertLegacy(details *types.ConfigDetails) error {
	for i, f := range details.ConfigFiles {
		if !composev1.Detect(f.Content) {
			continue
		}
		converted, notes, err := composev1.Convert(f.Content)
		if err != nil {
			return fmt.Errorf("load project: %s: %w", f.Filename, err)
		}
		r.Legacy = true
		r.sources[i].Legacy = true
		r.Migrated = append(r.Migrated, migrated(f.Filename, converted))
		r.Warnings = append(r.Warnings, Warning{File: f.Filename, Line: 1, Message: legacyWarning})
		for _, n := range notes {
			r.Warnings = append(r.Warnings, Warning{File: f.Filename, Line: n.Line, Service: n.Service, Key: n.Key, Message: n.Message})
		}
		details.ConfigFiles[i].Content = converted
	}
	return nil
}

// migrated is a converted file as `config --migrate` writes it: under its
// current-format name, headed by a line saying where it came from.
func migrated(source string, converted []byte) MigratedFile {
	header := fmt.Sprintf("# Converted from %s (compose v1 format) by devstack config --migrate.\n", filepath.Base(source))
	return MigratedFile{
		Source:  source,
		Target:  migratedName(source),
		Content: append([]byte(header), converted...),
	}
}

// migratedName is the current-format name for a legacy file:
// docker-compose.yml becomes compose.yaml, docker-compose.override.yml
// compose.override.yaml; other names only get the .yaml extension.
func migratedName(source string) string {
	dir, base := filepath.Split(source)
	base = strings.TrimSuffix(strings.TrimSuffix(base, ".yml"), ".yaml")
	base = strings.TrimPrefix(base, "docker-")
	return filepath.Join(dir, base+".yaml")
}
