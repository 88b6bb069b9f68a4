package stack

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// The path rules of `docker cp`, which compose's cp and devstack's follow:
// copying a to an existing folder puts it inside, to a path that does not
// exist (or to an existing file) renames it, and a source ending in "/."
// copies the folder's contents. These helpers decide which folder an
// archive is extracted into and how its top entry is renamed.

// copyInfo describes one side of a copy.
type copyInfo struct {
	path          string
	exists, isDir bool
	// rebaseName is the name the source's top entry takes in the archive
	// when it differs from the path's last element (a link followed).
	rebaseName string
}

// maxDestinationLinks bounds how many symbolic links a destination may
// chain through, as docker cp does.
const maxDestinationLinks = 10

// splitPathDirEntry splits a path into its folder and last element,
// keeping a final "." that asks for a folder's contents.
func splitPathDirEntry(p string) (dir, base string) {
	cleaned := filepath.Clean(filepath.FromSlash(p))
	if specifiesCurrentDir(p) {
		cleaned += string(filepath.Separator) + "."
	}
	return filepath.Dir(cleaned), filepath.Base(cleaned)
}

func specifiesCurrentDir(p string) bool { return filepath.Base(p) == "." }

func hasTrailingSeparator(p string) bool {
	return len(p) > 0 && os.IsPathSeparator(p[len(p)-1])
}

// assertsDirectory reports whether a path can only name a folder.
func assertsDirectory(p string) bool { return hasTrailingSeparator(p) || specifiesCurrentDir(p) }

// preserveTrailingDotOrSeparator gives a cleaned path back the "/" or "/."
// its original ended with: cleaning would lose what the user asked for.
func preserveTrailingDotOrSeparator(cleaned, original string) string {
	if !specifiesCurrentDir(cleaned) && specifiesCurrentDir(original) {
		if !hasTrailingSeparator(cleaned) {
			cleaned += string(filepath.Separator)
		}
		cleaned += "."
	}
	if !hasTrailingSeparator(cleaned) && hasTrailingSeparator(original) {
		cleaned += string(filepath.Separator)
	}
	return cleaned
}

// followedName gives a link's resolved path the requested path's trailing
// "/" or "/.", and the name the archive's top entry must keep when the
// link's last element differs from the target's.
func followedName(requested, resolved string) (path, rebaseName string) {
	if specifiesCurrentDir(requested) && !specifiesCurrentDir(resolved) {
		resolved += string(filepath.Separator) + "."
	}
	if hasTrailingSeparator(requested) && !hasTrailingSeparator(resolved) {
		resolved += string(filepath.Separator)
	}
	if filepath.Base(requested) != filepath.Base(resolved) {
		rebaseName = filepath.Base(requested)
	}
	return resolved, rebaseName
}

// sourceInfo describes a local source. Links before the last element are
// resolved; the last one only when followLink is set (-L).
func sourceInfo(p string, followLink bool) (copyInfo, error) {
	var resolved, rebaseName string
	if followLink {
		target, err := filepath.EvalSymlinks(p)
		if err != nil {
			return copyInfo{}, err
		}
		resolved, rebaseName = followedName(p, target)
	} else {
		dir, base := filepath.Split(p)
		realDir, err := filepath.EvalSymlinks(dir)
		if err != nil {
			return copyInfo{}, err
		}
		resolved = realDir + string(filepath.Separator) + base
		if hasTrailingSeparator(p) && filepath.Base(p) != filepath.Base(resolved) {
			rebaseName = filepath.Base(p)
		}
	}
	fi, err := os.Lstat(resolved)
	if err != nil {
		return copyInfo{}, err
	}
	return copyInfo{path: resolved, exists: true, isDir: fi.IsDir(), rebaseName: rebaseName}, nil
}

// destinationInfo describes a local destination, following links to the
// end as docker cp does. A destination that does not exist is fine when
// its folder does.
func destinationInfo(p string) (copyInfo, error) {
	fi, err := os.Lstat(p)
	for n := 0; err == nil && fi.Mode()&os.ModeSymlink != 0; n++ {
		if n >= maxDestinationLinks {
			return copyInfo{}, fmt.Errorf("too many symbolic links in %s", p)
		}
		target, rerr := os.Readlink(p)
		if rerr != nil {
			return copyInfo{}, rerr
		}
		if !filepath.IsAbs(target) {
			dir, _ := splitPathDirEntry(p)
			target = filepath.Join(dir, target)
		}
		p = target
		fi, err = os.Lstat(p)
	}
	if err == nil {
		return copyInfo{path: p, exists: true, isDir: fi.IsDir()}, nil
	}
	if !errors.Is(err, os.ErrNotExist) {
		return copyInfo{}, err
	}
	dir, _ := splitPathDirEntry(p)
	parent, err := os.Stat(dir)
	if err != nil {
		return copyInfo{}, fmt.Errorf("destination folder: %w", err)
	}
	if !parent.IsDir() {
		return copyInfo{}, fmt.Errorf("destination folder %s is not a folder", dir)
	}
	return copyInfo{path: p}, nil
}

// prepareCopy decides the folder an archive of src is extracted into to
// land at dst, and how the archive's entry names must change: kept when
// dst is an existing folder, renamed to dst's last element otherwise.
func prepareCopy(src, dst copyInfo) (dir string, rename func(string) string, err error) {
	dstDir, dstBase := splitPathDirEntry(dst.path)
	_, srcBase := splitPathDirEntry(src.path)
	if src.rebaseName != "" {
		srcBase = src.rebaseName
	}
	switch {
	case dst.exists && dst.isDir:
		return dst.path, nil, nil
	case dst.exists && src.isDir:
		return "", nil, fmt.Errorf("cannot copy the folder %s onto the file %s", src.path, dst.path)
	case !dst.exists && !src.isDir && assertsDirectory(dst.path):
		return "", nil, fmt.Errorf("destination folder %s does not exist", dst.path)
	}
	return dstDir, rebaser(srcBase, dstBase), nil
}

// rebaser replaces oldBase with newBase at the start of archive entry
// names; other names are left alone.
func rebaser(oldBase, newBase string) func(string) string {
	oldBase = strings.TrimRight(filepath.ToSlash(oldBase), "/")
	newBase = strings.TrimRight(filepath.ToSlash(newBase), "/")
	if oldBase == "" { // the archive of "/": its entries have no top folder
		return func(name string) string {
			name = strings.TrimLeft(name, "/")
			if newBase == "" {
				return name
			}
			return newBase + "/" + name
		}
	}
	return func(name string) string {
		rest, ok := strings.CutPrefix(name, oldBase)
		if !ok || rest != "" && !strings.HasPrefix(rest, "/") {
			return name
		}
		return newBase + rest
	}
}

// chainRenames applies first then second; either may be nil.
func chainRenames(first, second func(string) string) func(string) string {
	switch {
	case first == nil:
		return second
	case second == nil:
		return first
	}
	return func(name string) string { return second(first(name)) }
}
