package templates

import (
	"embed"
	"fmt"
	"io/fs"
	"path"
	"sort"
	"strings"
)

// builtinFS holds the built-in templates, one folder each. The folder's
// leading "_" keeps the go tool from treating template code as packages of
// this module; "all:" keeps dot files such as .dockerignore. A go.mod would
// make a template's folder another module, which embed refuses, so it is
// stored as _go.mod and renamed when loaded.
//
//go:embed all:_builtin
var builtinFS embed.FS

const builtinPrefix = "builtin:"

// builtins lists the built-in templates, sorted by name.
func builtins() ([]Info, error) {
	dirs, err := fs.ReadDir(builtinFS, "_builtin")
	if err != nil {
		return nil, fmt.Errorf("list built-in templates: %w", err)
	}
	var out []Info
	for _, d := range dirs {
		if !d.IsDir() {
			continue
		}
		t, err := builtin(d.Name())
		if err != nil {
			return nil, err
		}
		out = append(out, t.Info())
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out, nil
}

// builtin loads one built-in template; it goes through the same checks as
// a package from elsewhere.
func builtin(name string) (*Template, error) {
	sub, err := fs.Sub(builtinFS, "_builtin/"+name)
	if err != nil {
		return nil, err
	}
	if _, err := fs.Stat(sub, ManifestFile); err != nil {
		return nil, fmt.Errorf("built-in template %s: %w", name, fs.ErrNotExist)
	}
	var entries []entry
	err = fs.WalkDir(sub, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || p == "." {
			return err
		}
		e := entry{name: embeddedName(p), kind: kindDir}
		if !d.IsDir() {
			data, err := fs.ReadFile(sub, p)
			if err != nil {
				return err
			}
			// embed keeps no modes: shell scripts are the executables.
			e.kind, e.data, e.exec = kindFile, data, strings.HasSuffix(p, ".sh")
		}
		entries = append(entries, e)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("built-in template %s: %w", name, err)
	}
	if err := checkTree(entries); err != nil {
		return nil, fmt.Errorf("built-in template %s: %w", name, err)
	}
	t, err := newTemplate(entries)
	if err != nil {
		return nil, fmt.Errorf("built-in template %s: %w", name, err)
	}
	t.Source = builtinPrefix + name
	return t, nil
}

// embeddedName undoes the renaming that embedding needs (see builtinFS).
func embeddedName(p string) string {
	if path.Base(p) == "_go.mod" {
		return path.Join(path.Dir(p), "go.mod")
	}
	return p
}
