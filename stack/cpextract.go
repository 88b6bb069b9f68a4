package stack

import (
	"archive/tar"
	"errors"
	"fmt"
	"io"
	"os"
	"path"
	"path/filepath"
	"strings"
	"time"
)

// errUnsafeEntry marks an archive entry that would land outside the
// destination: an absolute name, a ".." element, or a path through a
// symbolic link.
var errUnsafeEntry = errors.New("unsafe archive entry")

// extractTar unpacks a tar stream into dir as it arrives, renaming entries
// with rename (nil keeps them). Every write goes through an os.Root on dir,
// and entries whose names are absolute, climb with "..", or pass through a
// symbolic link are refused before anything is written for them: a
// container's archive must not reach outside the destination. Owners are
// not applied (the local user usually could not), modes and times are.
func extractTar(r io.Reader, dir string, rename func(string) string) error {
	root, err := os.OpenRoot(dir)
	if err != nil {
		return err
	}
	defer root.Close()
	tr := tar.NewReader(r)
	var dirs []*tar.Header // folder times are set last: filling a folder changes its time
	for {
		hdr, err := tr.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return fmt.Errorf("read archive: %w", err)
		}
		if hdr.Typeflag == tar.TypeXGlobalHeader {
			continue
		}
		if rename != nil {
			hdr.Name = rename(hdr.Name)
			if hdr.Typeflag == tar.TypeLink {
				hdr.Linkname = rename(hdr.Linkname)
			}
		}
		if err := extractEntry(root, hdr, tr); err != nil {
			return fmt.Errorf("extract %s into %s: %w", hdr.Name, dir, err)
		}
		if hdr.Typeflag == tar.TypeDir {
			dirs = append(dirs, hdr)
		}
	}
	for _, hdr := range dirs {
		if err := root.Chtimes(hdr.Name, entryAccessTime(hdr), hdr.ModTime); err != nil {
			return fmt.Errorf("extract %s into %s: %w", hdr.Name, dir, err)
		}
	}
	return nil
}

// extractEntry creates one entry; hdr.Name becomes its cleaned local name.
func extractEntry(root *os.Root, hdr *tar.Header, content io.Reader) error {
	name, err := safeEntryName(root, hdr.Name)
	if err != nil || name == "." {
		return err
	}
	hdr.Name = name
	var linkTarget string
	if hdr.Typeflag == tar.TypeLink {
		if linkTarget, err = safeEntryName(root, hdr.Linkname); err != nil {
			return fmt.Errorf("hard link target: %w", err)
		}
	}
	if err := replaceExisting(root, name, hdr.Typeflag == tar.TypeDir); err != nil {
		return err
	}
	if parent := filepath.Dir(name); parent != "." {
		if err := root.MkdirAll(parent, 0o755); err != nil {
			return err
		}
	}
	mode := hdr.FileInfo().Mode()
	switch hdr.Typeflag {
	case tar.TypeDir:
		if fi, err := root.Lstat(name); err != nil || !fi.IsDir() {
			if err := root.Mkdir(name, mode.Perm()); err != nil {
				return err
			}
		}
	case tar.TypeReg:
		f, err := root.OpenFile(name, os.O_CREATE|os.O_WRONLY|os.O_TRUNC, mode.Perm())
		if err != nil {
			return err
		}
		_, err = io.Copy(f, content)
		if cerr := f.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			return err
		}
	case tar.TypeSymlink:
		// The target is stored as written; safeEntryName refuses any later
		// entry that would be written through it.
		if err := root.Symlink(hdr.Linkname, name); err != nil {
			return err
		}
		return setLinkTimes(root, name, entryAccessTime(hdr), hdr.ModTime)
	case tar.TypeLink:
		if err := root.Link(linkTarget, name); err != nil {
			return err
		}
		if fi, err := root.Lstat(linkTarget); err != nil || fi.Mode()&os.ModeSymlink != 0 {
			return err // a hard link to a symbolic link: chmod would follow it
		}
	default:
		return fmt.Errorf("entries of type %q (devices, fifos) are not supported on this side of a copy", hdr.Typeflag)
	}
	if err := root.Chmod(name, mode); err != nil {
		return err
	}
	return root.Chtimes(name, entryAccessTime(hdr), hdr.ModTime)
}

// safeEntryName cleans an entry name and refuses one that is absolute,
// has a ".." element, or whose folders include a symbolic link.
func safeEntryName(root *os.Root, name string) (string, error) {
	if strings.HasPrefix(name, "/") || filepath.IsAbs(name) {
		return "", fmt.Errorf("%w: %q is absolute", errUnsafeEntry, name)
	}
	for _, elem := range strings.Split(name, "/") {
		if elem == ".." {
			return "", fmt.Errorf("%w: %q climbs out with ..", errUnsafeEntry, name)
		}
	}
	clean := path.Clean(name)
	if clean != "." && !filepath.IsLocal(filepath.FromSlash(clean)) {
		return "", fmt.Errorf("%w: %q is not a local name", errUnsafeEntry, name)
	}
	clean = filepath.FromSlash(clean)
	// Folders that exist must be real folders: an earlier entry could have
	// made one a link to elsewhere in (or out of) the destination.
	elems := strings.Split(filepath.ToSlash(clean), "/")
	for i := 1; i < len(elems); i++ {
		dir := filepath.FromSlash(strings.Join(elems[:i], "/"))
		fi, err := root.Lstat(dir)
		if errors.Is(err, os.ErrNotExist) {
			break
		}
		if err != nil {
			return "", err
		}
		if fi.Mode()&os.ModeSymlink != 0 {
			return "", fmt.Errorf("%w: %q goes through the symbolic link %s", errUnsafeEntry, name, strings.Join(elems[:i], "/"))
		}
	}
	return clean, nil
}

// replaceExisting removes what is at name unless the entry is a folder
// and a folder is there (then they merge). Like docker cp, it does not
// replace a folder with a file or a file with a folder.
func replaceExisting(root *os.Root, name string, isDir bool) error {
	fi, err := root.Lstat(name)
	switch {
	case errors.Is(err, os.ErrNotExist):
		return nil
	case err != nil:
		return err
	case fi.IsDir() && !isDir:
		return fmt.Errorf("cannot overwrite the folder %s with a file", name)
	case !fi.IsDir() && isDir:
		return fmt.Errorf("cannot overwrite the file %s with a folder", name)
	case fi.IsDir():
		return nil
	}
	return root.Remove(name)
}

// entryAccessTime is the later of an entry's access and modification
// times, as docker cp sets it.
func entryAccessTime(hdr *tar.Header) time.Time {
	if hdr.AccessTime.After(hdr.ModTime) {
		return hdr.AccessTime
	}
	return hdr.ModTime
}
