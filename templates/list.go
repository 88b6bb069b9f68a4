package templates

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

// UserDir is the user's template folder: $XDG_DATA_HOME/devstack/templates,
// or ~/.local/share/devstack/templates. It may not exist.
func UserDir() (string, error) {
	if d := os.Getenv("XDG_DATA_HOME"); d != "" && filepath.IsAbs(d) {
		return filepath.Join(d, "devstack", "templates"), nil
	}
	home, err := os.UserHomeDir()
	if err != nil {
		return "", fmt.Errorf("find the template folder: %w", err)
	}
	return filepath.Join(home, ".local", "share", "devstack", "templates"), nil
}

// Listed is one line of List: a template, or a file in the user's folder
// that is not a usable template and why.
type Listed struct {
	Info
	// Err is set when the entry could not be read as a template.
	Err error
}

// List returns the built-in templates, then those in userDir (folders with
// a manifest and .tgz packages), each sorted by name. A missing userDir is
// not an error; a broken template there is listed with its Err.
func List(ctx context.Context, userDir string) ([]Listed, error) {
	all, err := builtins()
	if err != nil {
		return nil, err
	}
	var out []Listed
	for _, b := range all {
		out = append(out, Listed{Info: b})
	}
	if userDir == "" {
		return out, nil
	}
	ents, err := os.ReadDir(userDir)
	if errors.Is(err, fs.ErrNotExist) {
		return out, nil
	}
	if err != nil {
		return nil, fmt.Errorf("list templates in %s: %w", userDir, err)
	}
	var user []Listed
	for _, e := range ents {
		p := filepath.Join(userDir, e.Name())
		isPkg := !e.IsDir() && strings.HasSuffix(e.Name(), ".tgz")
		hasManifest := false
		if e.IsDir() {
			_, err := os.Stat(filepath.Join(p, ManifestFile))
			hasManifest = err == nil
		}
		if !isPkg && !hasManifest {
			continue
		}
		t, _, err := openPath(ctx, p, OpenOptions{})
		if err != nil {
			user = append(user, Listed{Info: Info{Name: e.Name(), Source: p}, Err: err})
			continue
		}
		info := t.Info()
		info.Source = p
		user = append(user, Listed{Info: info})
	}
	sort.Slice(user, func(i, j int) bool { return user[i].Name < user[j].Name })
	return append(out, user...), nil
}
