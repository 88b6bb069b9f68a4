package stack

import (
	"bytes"
	"fmt"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"

	"github.com/compose-spec/compose-go/v2/types"
	"github.com/moby/patternmatcher"
	"github.com/moby/patternmatcher/ignorefile"
)

// pathMatcher matches absolute host paths against .dockerignore-style
// patterns written relative to root, the way Compose's watch does: a path
// matches when it or one of its parents does.
type pathMatcher struct {
	pm *patternmatcher.PatternMatcher
}

// wholeDir reports whether a folder is ignored with everything inside: it
// matches and no exclusion ("!pattern") can bring part of it back.
func (m *pathMatcher) wholeDir(dir string) bool {
	return m != nil && !m.pm.Exclusions() && m.matches(dir)
}

// newPathMatcher anchors the patterns at root. A lone "*" keeps only the
// exclusions, as Compose does, so "*" plus "!src" means "only src".
func newPathMatcher(root string, patterns []string) (*pathMatcher, error) {
	if len(patterns) == 0 {
		return nil, nil
	}
	if slices.Contains(patterns, "*") {
		patterns = slices.DeleteFunc(slices.Clone(patterns), func(p string) bool { return p != "" && p[0] != '!' })
	}
	abs := make([]string, 0, len(patterns))
	for _, p := range patterns {
		p = strings.TrimSpace(p)
		if p == "" {
			continue
		}
		neg := strings.HasPrefix(p, "!")
		p = filepath.Clean(strings.TrimPrefix(p, "!"))
		if !filepath.IsAbs(p) {
			p = filepath.Join(root, p)
		}
		if neg {
			p = "!" + p
		}
		abs = append(abs, p)
	}
	pm, err := patternmatcher.New(abs)
	if err != nil {
		return nil, fmt.Errorf("patterns %q: %w", patterns, err)
	}
	return &pathMatcher{pm: pm}, nil
}

// matches reports whether the absolute path or a parent matches; a nil
// matcher matches nothing.
func (m *pathMatcher) matches(p string) bool {
	if m == nil {
		return false
	}
	ok, err := m.pm.MatchesOrParentMatches(p)
	return err == nil && ok
}

// ephemeralPatterns are editors' and tools' temporary files, never synced
// (Compose's pkg/watch/ephemeral.go).
var ephemeralPatterns = []string{
	"**/*___jb_old___", "**/*___jb_tmp___", "**/.idea/**",
	"**/.#*", "**/#*#",
	"**/4913", "**/*~", "**/.*.swp", "**/.*.swx", "**/.*.swo", "**/.*.swn",
	"**/.*.kate-swp", "**/*-go-tmp-umask",
	"**/.git",
}

// watchRule is one develop.watch trigger of a service, ready to match.
type watchRule struct {
	service string
	index   int
	trigger types.Trigger
	include *pathMatcher // nil: everything under the path
	ignore  []*pathMatcher
}

// newWatchRules prepares a service's triggers with their ignore rules:
// the trigger's own, the build context's .dockerignore, editors'
// temporary files and .git.
func newWatchRules(sc types.ServiceConfig) ([]watchRule, error) {
	dockerignore, err := watchDockerignore(sc.Build)
	if err != nil {
		return nil, fmt.Errorf("service %s: %w", sc.Name, err)
	}
	ephemeral, err := newPathMatcher("/", ephemeralPatterns)
	if err != nil {
		return nil, err
	}
	var rules []watchRule
	for i, t := range sc.Develop.Watch {
		if t.Path == "" {
			return nil, fmt.Errorf("service %s: develop.watch[%d] has no path", sc.Name, i)
		}
		own, err := newPathMatcher(t.Path, t.Ignore)
		if err != nil {
			return nil, fmt.Errorf("service %s: develop.watch[%d].ignore: %w", sc.Name, i, err)
		}
		include, err := newPathMatcher(t.Path, t.Include)
		if err != nil {
			return nil, fmt.Errorf("service %s: develop.watch[%d].include: %w", sc.Name, i, err)
		}
		rules = append(rules, watchRule{service: sc.Name, index: i, trigger: t, include: include,
			ignore: []*pathMatcher{dockerignore, ephemeral, own}})
	}
	return rules, nil
}

// watchDockerignore reads the build context's <Dockerfile>.dockerignore
// or .dockerignore, as Compose's LoadDockerIgnore does.
func watchDockerignore(build *types.BuildConfig) (*pathMatcher, error) {
	if build == nil || build.Context == "" || strings.Contains(build.Context, "://") {
		return nil, nil
	}
	root, err := filepath.Abs(build.Context)
	if err != nil {
		return nil, err
	}
	var names []string
	if build.Dockerfile != "" && !filepath.IsAbs(build.Dockerfile) {
		names = append(names, build.Dockerfile+".dockerignore")
	}
	for _, name := range append(names, ".dockerignore") {
		file := filepath.Join(root, name)
		content, err := os.ReadFile(file)
		if os.IsNotExist(err) {
			continue
		}
		if err != nil {
			return nil, fmt.Errorf("read %s: %w", file, err)
		}
		patterns, err := ignorefile.ReadAll(bytes.NewReader(content))
		if err != nil {
			return nil, fmt.Errorf("read %s: %w", file, err)
		}
		return newPathMatcher(root, patterns)
	}
	return nil, nil
}

// ignored reports whether a host path is left out by the rule.
func (r watchRule) ignored(p string) bool {
	for _, m := range r.ignore {
		if m.matches(p) {
			return true
		}
	}
	return r.include != nil && !r.include.matches(p)
}

// ignoresDir reports whether the rule ignores a whole folder.
func (r watchRule) ignoresDir(dir string) bool {
	for _, m := range r.ignore {
		if m.wholeDir(dir) {
			return true
		}
	}
	return false
}

// target maps a host path under the rule's path to its path in the
// container, or reports false when the rule does not take it.
func (r watchRule) target(p string) (string, bool) {
	rel, err := filepath.Rel(r.trigger.Path, p)
	if err != nil || rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
		return "", false
	}
	if r.ignored(p) {
		return "", false
	}
	if r.trigger.Target == "" {
		return "", true
	}
	return path.Join(r.trigger.Target, filepath.ToSlash(rel)), true
}

// syncs reports whether the rule's action copies files into containers.
func (r watchRule) syncs() bool {
	switch r.trigger.Action {
	case types.WatchActionSync, types.WatchActionSyncRestart, types.WatchActionSyncExec:
		return true
	}
	return false
}
