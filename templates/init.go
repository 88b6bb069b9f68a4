package templates

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"strings"
	"syscall"

	"github.com/devstack/devstack/stack"
)

// ErrExists means Init would overwrite files and was not forced.
var ErrExists = errors.New("files already exist")

// InitOptions are the choices of one init.
type InitOptions struct {
	// Values answer the template's options (from --set or the form);
	// options not given take their defaults.
	Values map[string]string
	// Force overwrites files that already exist in the target folder.
	Force bool
}

// Result says what Init wrote.
type Result struct {
	// Dir is the absolute target folder.
	Dir string
	// ComposeFile is the compose file's path inside Dir.
	ComposeFile string
	// Files are the files and links written, relative to Dir.
	Files []string
	// Overwritten are the files among Files that existed before (Force).
	Overwritten []string
	// Values are the option values written to .env.
	Values map[string]string
	// Warnings come from loading the new stack (unset variables...) and
	// name every host path outside Dir that the stack mounts.
	Warnings []string
}

// Init writes the template into dir (created if missing): its files, the
// env files filled with the option values, and .env. Everything is written
// into a temporary folder next to dir first and checked with stack.Load;
// only then are the files moved into place, so a failure leaves dir as it
// was.
func Init(ctx context.Context, t *Template, dir string, opts InitOptions) (Result, error) {
	values, err := resolveValues(t.Manifest, opts.Values)
	if err != nil {
		return Result{}, fmt.Errorf("init %s: %w", t.Manifest.Name, err)
	}
	target, err := targetDir(dir)
	if err != nil {
		return Result{}, fmt.Errorf("init %s: %w", t.Manifest.Name, err)
	}
	files := plan(t, values)
	overwritten, err := checkTarget(target, files, opts.Force)
	if err != nil {
		return Result{}, fmt.Errorf("init %s in %s: %w", t.Manifest.Name, target, err)
	}
	_, statErr := os.Stat(target)
	staging, err := stagingDir(target)
	if err != nil {
		return Result{}, fmt.Errorf("init %s: %w", t.Manifest.Name, err)
	}
	ok := false
	defer func() {
		os.RemoveAll(staging)
		// The fallback staging folder lives in a target made for it.
		if !ok && errors.Is(statErr, fs.ErrNotExist) {
			os.Remove(target)
		}
	}()
	if err := materialize(staging, files); err != nil {
		return Result{}, fmt.Errorf("init %s: %w", t.Manifest.Name, err)
	}
	warnings, err := checkLoads(ctx, staging, t.ComposeFile, filepath.Base(target))
	if err != nil {
		return Result{}, fmt.Errorf("init %s: %w", t.Manifest.Name, err)
	}
	if err := moveIntoPlace(staging, target, files, overwritten); err != nil {
		return Result{}, fmt.Errorf("init %s in %s: %w", t.Manifest.Name, target, err)
	}
	ok = true
	res := Result{Dir: target, ComposeFile: t.ComposeFile, Values: values, Warnings: warnings, Overwritten: overwritten}
	for _, f := range files {
		if f.kind != kindDir {
			res.Files = append(res.Files, f.name)
		}
	}
	return res, nil
}

// stagingDir makes the folder files are written to before they are
// checked: next to the target, so moving them in is a rename; inside the
// target when its parent is not writable (a home folder's parent).
func stagingDir(target string) (string, error) {
	staging, err := os.MkdirTemp(filepath.Dir(target), ".devstack-init-")
	if !errors.Is(err, fs.ErrPermission) && !errors.Is(err, syscall.EROFS) {
		return staging, err
	}
	if err := os.MkdirAll(target, 0o755); err != nil {
		return "", err
	}
	return os.MkdirTemp(target, ".devstack-init-")
}

// targetDir makes dir absolute and resolves links the user chose, so the
// rest works on real paths.
func targetDir(dir string) (string, error) {
	if dir == "" {
		dir = "."
	}
	abs, err := filepath.Abs(dir)
	if err != nil {
		return "", err
	}
	if real, err := filepath.EvalSymlinks(abs); err == nil {
		abs = real
	}
	if fi, err := os.Stat(abs); err == nil && !fi.IsDir() {
		return "", fmt.Errorf("%s is not a folder", abs)
	}
	if err := os.MkdirAll(filepath.Dir(abs), 0o755); err != nil {
		return "", err
	}
	return abs, nil
}

// checkTarget lists the files that already exist, failing unless force,
// and refuses layouts that would write through a link or replace a folder.
func checkTarget(target string, files []outFile, force bool) ([]string, error) {
	var exists []string
	for _, f := range files {
		p := filepath.Join(target, filepath.FromSlash(f.name))
		if err := noLinkedParents(target, f.name); err != nil {
			return nil, err
		}
		fi, err := os.Lstat(p)
		if errors.Is(err, fs.ErrNotExist) {
			continue
		}
		if err != nil {
			return nil, err
		}
		switch {
		case f.kind == kindDir && fi.IsDir():
		case f.kind == kindDir || fi.IsDir():
			return nil, fmt.Errorf("%s exists and is a %s; the template has a %s there", f.name, kindOf(fi), kindName(f.kind))
		default:
			exists = append(exists, f.name)
		}
	}
	if len(exists) > 0 && !force {
		return nil, fmt.Errorf("%w: %s (use --force to overwrite)", ErrExists, strings.Join(exists, ", "))
	}
	return exists, nil
}

// noLinkedParents refuses to write below a link inside the target: the
// link could lead anywhere.
func noLinkedParents(target, name string) error {
	for dir := path.Dir(name); dir != "."; dir = path.Dir(dir) {
		fi, err := os.Lstat(filepath.Join(target, filepath.FromSlash(dir)))
		if err == nil && fi.Mode()&fs.ModeSymlink != 0 {
			return fmt.Errorf("%s is a symlink; refusing to write %s through it", dir, name)
		}
	}
	return nil
}

func kindOf(fi fs.FileInfo) string {
	if fi.IsDir() {
		return "folder"
	}
	return "file"
}

func kindName(k entryKind) string {
	switch k {
	case kindDir:
		return "folder"
	case kindSymlink:
		return "link"
	}
	return "file"
}

// materialize writes the files into dir through an os.Root, which refuses
// any path that would resolve outside it.
func materialize(dir string, files []outFile) error {
	root, err := os.OpenRoot(dir)
	if err != nil {
		return err
	}
	defer root.Close()
	// Links last: no file is ever written through a link of the package.
	for _, pass := range []entryKind{kindDir, kindFile, kindSymlink} {
		for _, f := range files {
			if f.kind != pass {
				continue
			}
			if err := writeOne(root, f); err != nil {
				return fmt.Errorf("write %s: %w", f.name, err)
			}
		}
	}
	return nil
}

func writeOne(root *os.Root, f outFile) error {
	name := filepath.FromSlash(f.name)
	if f.kind == kindDir {
		return root.MkdirAll(name, 0o755)
	}
	if dir := filepath.Dir(name); dir != "." {
		if err := root.MkdirAll(dir, 0o755); err != nil {
			return err
		}
	}
	if f.kind == kindSymlink {
		return root.Symlink(filepath.FromSlash(f.link), name)
	}
	if err := root.WriteFile(name, f.data, fs.FileMode(f.mode)); err != nil {
		return err
	}
	// WriteFile's mode is filtered by the umask; the template's modes
	// (executable scripts, private env files) are meant as written.
	return root.Chmod(name, fs.FileMode(f.mode))
}

// checkLoads loads the written stack the way devstack up will, so a
// template whose compose file does not load is never put in place.
func checkLoads(ctx context.Context, dir, composeFile, projectName string) ([]string, error) {
	p, err := stack.Load(ctx, stack.LoadOptions{
		WorkingDir:  dir,
		Files:       []string{filepath.Join(dir, composeFile)},
		ProjectName: normalizeProjectName(projectName),
	})
	if err != nil {
		return nil, fmt.Errorf("the compose file does not load: %w", err)
	}
	var warnings []string
	for _, w := range p.Warnings {
		warnings = append(warnings, strings.ReplaceAll(w.String(), dir+string(filepath.Separator), ""))
	}
	return append(warnings, outsideMounts(dir, p)...), nil
}

// outsideMounts names the host paths outside the stack folder that the
// stack would mount into its containers: a template from someone else
// should not read $HOME/.ssh unnoticed.
func outsideMounts(dir string, p *stack.Project) []string {
	var out []string
	for _, s := range p.Services {
		for _, m := range s.Mounts {
			if m.Kind != stack.MountBind || m.Source == "" {
				continue
			}
			if _, inside := within(dir, m.Source); inside {
				continue
			}
			mode := "read-write"
			if m.ReadOnly {
				mode = "read-only"
			}
			out = append(out, fmt.Sprintf("service %s mounts %s from outside the stack folder (%s, at %s)", s.Name, m.Source, mode, m.Target))
		}
	}
	return out
}

// normalizeProjectName makes a folder name a valid compose project name
// (lower-case letters, digits, '-' and '_', starting with a letter or digit).
func normalizeProjectName(name string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(name) {
		if (r >= 'a' && r <= 'z') || (r >= '0' && r <= '9') || r == '-' || r == '_' {
			b.WriteRune(r)
		}
	}
	s := strings.TrimLeft(b.String(), "-_")
	if s == "" {
		return "devstack"
	}
	return s
}
