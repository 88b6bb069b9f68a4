package templates

import (
	"errors"
	"fmt"
	"io/fs"
	"path"
	"strings"
)

// checkRelPath accepts a slash-separated path that stays inside its root.
func checkRelPath(p string) error {
	switch {
	case p == "":
		return errors.New("empty path")
	case strings.IndexFunc(p, isControl) >= 0:
		// A name is printed to the terminal; escapes could rewrite it.
		return errors.New("control character in path")
	case strings.Contains(p, `\`):
		return errors.New("backslash in path")
	case path.IsAbs(p) || (len(p) > 1 && p[1] == ':'):
		return errors.New("absolute path")
	}
	for _, part := range strings.Split(p, "/") {
		if part == ".." {
			return errors.New("path leaves the folder ('..')")
		}
	}
	return nil
}

// cleanEntryName accepts "a/b", "./a/b" and "a/b/" and rejects anything that
// could land outside the target once joined to it.
func cleanEntryName(name string) (string, error) {
	trimmed := strings.TrimSuffix(strings.TrimPrefix(name, "./"), "/")
	if trimmed == "" || trimmed == "." {
		return ".", nil
	}
	if err := checkRelPath(trimmed); err != nil {
		return "", err
	}
	clean := path.Clean(trimmed)
	if clean != trimmed && clean+"/" != trimmed {
		// "a//b" or "a/./b": harmless, but a second spelling of a name
		// would defeat the duplicate check.
		return "", fmt.Errorf("name is not in canonical form (%s)", clean)
	}
	if !fs.ValidPath(clean) {
		return "", fmt.Errorf("invalid path")
	}
	return clean, nil
}

// checkLinkTarget allows relative targets that stay inside the package
// when resolved from the link's folder.
func checkLinkTarget(name, target string) error {
	if target == "" {
		return errors.New("empty target")
	}
	if strings.IndexFunc(target, isControl) >= 0 {
		return errors.New("control character in target")
	}
	if path.IsAbs(target) || strings.Contains(target, "\\") {
		return errors.New("absolute target")
	}
	if _, ok := insidePath(path.Dir(name), target); !ok {
		return errors.New("target outside the package")
	}
	return nil
}

// insidePath resolves target relative to dir component by component and
// reports the parts walked, or false when it climbs above the root.
func insidePath(dir, target string) ([]string, bool) {
	var parts []string
	if dir != "." {
		parts = strings.Split(dir, "/")
	}
	var walked []string
	for _, p := range strings.Split(target, "/") {
		switch p {
		case "", ".":
			continue
		case "..":
			if len(parts) == 0 {
				return nil, false
			}
			parts = parts[:len(parts)-1]
		default:
			parts = append(parts, p)
		}
		walked = append(walked, strings.Join(parts, "/"))
	}
	return walked, true
}

// checkTree rejects layouts that turn a safe-looking name into an escape:
// an entry below a symlink (writing it would follow the link), a link whose
// target passes through another link, and an entry below a regular file.
func checkTree(entries []entry) error {
	kinds := make(map[string]entryKind, len(entries))
	for _, e := range entries {
		kinds[e.name] = e.kind
	}
	for _, e := range entries {
		for dir := path.Dir(e.name); dir != "."; dir = path.Dir(dir) {
			switch kinds[dir] {
			case kindSymlink:
				return fmt.Errorf("unpack: %w: %s lies below the symlink %s", ErrUnsafePackage, e.name, dir)
			case kindFile:
				return fmt.Errorf("unpack: %w: %s lies below the file %s", ErrUnsafePackage, e.name, dir)
			}
		}
		if e.kind != kindSymlink {
			continue
		}
		walked, _ := insidePath(path.Dir(e.name), e.link)
		for _, p := range walked {
			if kinds[p] == kindSymlink {
				return fmt.Errorf("unpack: %w: symlink %s -> %s goes through the symlink %s", ErrUnsafePackage, e.name, e.link, p)
			}
		}
	}
	return nil
}

// isControl reports the characters that must never reach a terminal from a
// package: C0 controls (escape included), DEL and C1 controls.
func isControl(r rune) bool {
	return r < 0x20 || (r >= 0x7f && r < 0xa0)
}

// isControlInText allows the line breaks and tabs of a description.
func isControlInText(r rune) bool {
	return r != '\n' && r != '\t' && isControl(r)
}
