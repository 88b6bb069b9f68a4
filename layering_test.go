// Package devstack_test holds the module-wide checks; the code lives in
// cmd/devstack, stack, tui and templates.
package devstack_test

import (
	"os/exec"
	"slices"
	"strings"
	"testing"
)

// pureLibraries come from the engine's and compose's organisations but hold
// no engine or compose types: plain functions over strings and files that
// every layer may use instead of a copy of its own (.dockerignore matching,
// compose's .env reader).
var pureLibraries = []string{
	"github.com/moby/patternmatcher",
	"github.com/compose-spec/compose-go/v2/dotenv",
}

// TestLayering keeps engine and compose types inside stack and UI types
// outside it, by listing each package's imports with go list (the way
// tailscale's deptest does). Direct imports are what matter: tui reaching
// moby through stack is the design.
func TestLayering(t *testing.T) {
	daemon := []string{"github.com/moby/", "github.com/docker/"}
	engine := slices.Concat(daemon, []string{"github.com/compose-spec/"})
	ui := []string{"charm.land/", "github.com/charmbracelet/"}
	// The parsers under stack/internal know nothing of the engine verbs
	// that use them (they may use each other). A forbidden path ending in
	// "/" forbids everything under it; any other forbids that package.
	stackItself := []string{"github.com/devstack/devstack/stack"}
	rules := []struct {
		pkg       string
		forbidden []string
	}{
		{"./tui/...", engine},
		{"./templates/...", engine},
		{"./cmd/...", engine},
		{"./termsize/...", engine},
		{"./stack/...", ui},
		// Test helpers shared by stack and e2e: no engine client (each
		// caller cleans up with its own) and no UI.
		{"./internal/...", slices.Concat(engine, ui)},
		// stack's pure parsers: file formats in, plain values out.
		{"./stack/internal/cgroups/...", slices.Concat(engine, ui, stackItself)},
		{"./stack/internal/dockerfile/...", slices.Concat(engine, ui, stackItself)},
		{"./stack/internal/yamlpos/...", slices.Concat(engine, ui, stackItself)},
		{"./stack/internal/composev1/...", slices.Concat(engine, ui, stackItself)},
		// Compose's hashes are of compose-go's model, and only of that.
		{"./stack/internal/confighash/...", slices.Concat(daemon, ui, stackItself)},
		// Compose loading is compose-go's loader and nothing of the engine.
		{"./stack/internal/composeload/...", slices.Concat(daemon, ui, stackItself)},
	}
	for _, r := range rules {
		t.Run(r.pkg, func(t *testing.T) {
			out, err := exec.Command("go", "list", "-f", `{{.ImportPath}}: {{join .Imports " "}}`, r.pkg).CombinedOutput()
			if err != nil {
				t.Fatalf("go list %s: %v\n%s", r.pkg, err, out)
			}
			for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
				pkg, imports, _ := strings.Cut(line, ": ")
				for _, imp := range strings.Fields(imports) {
					if slices.Contains(pureLibraries, imp) {
						continue
					}
					for _, f := range r.forbidden {
						if imp == f || strings.HasSuffix(f, "/") && strings.HasPrefix(imp, f) {
							t.Errorf("%s imports %s; keep %s* out of this layer", pkg, imp, f)
						}
					}
				}
			}
		})
	}
}
