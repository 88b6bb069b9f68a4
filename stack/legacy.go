package stack

import (
	"fmt"

	"github.com/compose-spec/compose-go/v2/types"

	"github.com/devstack/devstack/stack/internal/composev1"
)

// legacyWarning is what a user sees when a file was converted.
const legacyWarning = "legacy compose v1 format: converted in memory; run `devstack config --migrate` to write compose.yaml"

// convertLegacy converts every v1 file of the project in memory, marks its
// source as legacy for positions and records what MigrateFiles will write.
func (l *loaded) convertLegacy(details *types.ConfigDetails) error {
	for i, f := range details.ConfigFiles {
		if !composev1.Detect(f.Content) {
			continue
		}
		converted, notes, err := composev1.Convert(f.Content)
		if err != nil {
			return fmt.Errorf("load project: %s: %w", f.Filename, err)
		}
		l.legacy = true
		l.sources[i].Legacy = true
		l.migrated = append(l.migrated, MigratedFile{Source: f.Filename, Content: converted})
		l.warnings = append(l.warnings, Warning{File: f.Filename, Line: 1, Message: legacyWarning})
		for _, n := range notes {
			l.warnings = append(l.warnings, Warning{File: f.Filename, Line: n.Line, Service: n.Service, Key: n.Key, Message: n.Message})
		}
		details.ConfigFiles[i].Content = converted
	}
	return nil
}
