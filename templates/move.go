package templates

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
)

// moveIntoPlace renames the checked files from staging into target (both
// below target's parent folder, so renames do not copy). If a rename fails,
// the files it had already moved that did not exist before are removed
// again; files that --force overwrote cannot be brought back.
func moveIntoPlace(staging, target string, files []outFile, overwritten []string) error {
	parent := filepath.Dir(target)
	root, err := os.OpenRoot(parent)
	if err != nil {
		return err
	}
	defer root.Close()
	from, err := filepath.Rel(parent, staging)
	if err != nil {
		return err
	}
	to := filepath.Base(target)
	createdTarget := false
	if _, err := root.Lstat(to); errors.Is(err, os.ErrNotExist) {
		createdTarget = true
	}
	if err := root.MkdirAll(to, 0o755); err != nil {
		return err
	}
	var moved []string
	undo := func() {
		for i := len(moved) - 1; i >= 0; i-- {
			_ = root.Remove(moved[i])
		}
		if createdTarget {
			_ = root.RemoveAll(to)
		}
	}
	for _, f := range files {
		dst := filepath.Join(to, filepath.FromSlash(f.name))
		if f.kind == kindDir {
			if _, err := root.Lstat(dst); errors.Is(err, os.ErrNotExist) {
				moved = append(moved, dst)
			}
			if err := root.MkdirAll(dst, 0o755); err != nil {
				undo()
				return fmt.Errorf("create %s: %w", f.name, err)
			}
			continue
		}
		if err := root.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
			undo()
			return fmt.Errorf("create %s: %w", filepath.Dir(f.name), err)
		}
		if err := root.Rename(filepath.Join(from, filepath.FromSlash(f.name)), dst); err != nil {
			undo()
			return fmt.Errorf("move %s into place: %w", f.name, err)
		}
		if !slices.Contains(overwritten, f.name) {
			moved = append(moved, dst)
		}
	}
	return nil
}
