package templates

import (
	"context"
	"fmt"
	"os"
)

// check writes the template with its default values into a temporary
// folder and loads it as devstack up would: a template that passes can be
// shared. Required options without a default get a placeholder, since only
// the shape of the stack is checked.
func check(ctx context.Context, t *Template) error {
	given := map[string]string{}
	for _, o := range t.Manifest.Options {
		if o.Required && o.Default == "" {
			given[o.Key] = "placeholder"
		}
	}
	values, err := resolveValues(t.Manifest, given)
	if err != nil {
		return fmt.Errorf("check %s: %w", t.Manifest.Name, err)
	}
	dir, err := os.MkdirTemp("", "devstack-check-")
	if err != nil {
		return fmt.Errorf("check %s: %w", t.Manifest.Name, err)
	}
	defer os.RemoveAll(dir)
	if err := materialize(dir, plan(t, values)); err != nil {
		return fmt.Errorf("check %s: %w", t.Manifest.Name, err)
	}
	if _, err := checkLoads(ctx, dir, t.ComposeFile, t.Manifest.Name); err != nil {
		return fmt.Errorf("check %s: %w", t.Manifest.Name, err)
	}
	return nil
}
