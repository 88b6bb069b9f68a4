package stack

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"syscall"

	"github.com/compose-spec/compose-go/v2/types"

	"github.com/devstack/devstack/stack/internal/composeload"
)

// checkBindSources finds, before up creates anything, the bind mounts whose
// missing source folder the engine would fail to create (a file stands
// where a parent folder should be). The engine only finds out when the
// container starts, with an OCI runtime error, and by then the network and
// the container exist. It only applies to an engine on this machine: a
// remote engine's paths are not ours to look at.
func checkBindSources(model *types.Project, local bool) error {
	if !local {
		return nil
	}
	var errs []error
	for _, name := range sortedKeys(model.Services) {
		sc := model.Services[name]
		for _, v := range sc.Volumes {
			if v.Type != types.VolumeTypeBind || !filepath.IsAbs(v.Source) {
				continue
			}
			if err := creatableFolder(v.Source); err != nil {
				errs = append(errs, fmt.Errorf("up %s: bind mount %s → %s: %w", name, composeload.DisplayPath(v.Source, model.WorkingDir), v.Target, err))
			}
		}
	}
	return errors.Join(errs...)
}

// creatableFolder reports why path can neither be used nor created as a
// folder: the nearest existing ancestor of a missing path is not a folder.
func creatableFolder(path string) error {
	for p := path; ; p = filepath.Dir(p) {
		info, err := os.Stat(p)
		switch {
		case err == nil && p == path:
			return nil // it exists: a file or a folder, both can be mounted
		case err == nil && !info.IsDir():
			return fmt.Errorf("the source cannot be created: %s is a file, not a folder", p)
		case err == nil:
			return nil
		case !errors.Is(err, fs.ErrNotExist) && !errors.Is(err, syscall.ENOTDIR):
			return fmt.Errorf("the source cannot be checked: %w", err)
		}
		if parent := filepath.Dir(p); parent == p {
			return nil
		}
	}
}
