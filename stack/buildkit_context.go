package stack

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/moby/patternmatcher/ignorefile"
	"github.com/tonistiigi/fsutil"
)

// contextFS is the build context folder as BuildKit's filesync sees it.
// A <Dockerfile>.dockerignore beside the Dockerfile replaces the context's
// .dockerignore, as in BuildKit's Dockerfile frontend since 1.4: devstack
// applies it here, so it holds on engines whose built-in frontend is
// older, and hides the context's .dockerignore so the frontend does not
// apply that one too. Without one, the frontend reads .dockerignore itself.
func contextFS(dir, dockerfile string) (fsutil.FS, error) {
	base, err := fsutil.NewFS(dir)
	if err != nil {
		return nil, fmt.Errorf("read build context: %w", err)
	}
	if dockerfile == "" {
		return base, nil
	}
	name := dockerfile + ".dockerignore"
	content, err := os.ReadFile(name)
	if errors.Is(err, fs.ErrNotExist) {
		return base, nil
	}
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", name, err)
	}
	patterns, err := ignorefile.ReadAll(bytes.NewReader(content))
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", name, err)
	}
	patterns = append(patterns, ".dockerignore")
	filtered, err := fsutil.NewFilterFS(base, &fsutil.FilterOpt{ExcludePatterns: patterns})
	if err != nil {
		return nil, fmt.Errorf("%s: %w", filepath.Base(name), err)
	}
	return filtered, nil
}
