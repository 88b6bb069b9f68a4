package stack

import (
	"archive/tar"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// packedSource streams a tar archive of a local source as it is read: a
// goroutine walks the source and writes into a pipe, so a file of any
// size costs one copy buffer. rename changes the entry names (see
// prepareCopy). Close the reader to stop the walk; wait returns its
// error once the reader is closed or drained.
func packedSource(src copyInfo, rename func(string) string) (r io.ReadCloser, wait func() error) {
	pr, pw := io.Pipe()
	done := make(chan error, 1)
	go func() {
		err := packTar(pw, src, rename)
		pw.CloseWithError(err)
		done <- err
	}()
	return pr, func() error {
		err := <-done
		if errors.Is(err, io.ErrClosedPipe) { // the reader stopped: its error is the one to report
			return nil
		}
		return err
	}
}

// packTar writes src as docker cp archives it: the top entry is named
// after the source's last element (or its rebaseName), a source ending in
// "/." archives the folder's contents under ".", and every entry keeps its
// mode, modification time (to the second) and owner.
func packTar(w io.Writer, src copyInfo, rename func(string) string) error {
	dir, base := splitPathDirEntry(src.path)
	top := base
	if src.rebaseName != "" {
		top = src.rebaseName
	}
	// filepath.Join would clean away a final ".".
	root := strings.TrimSuffix(dir, string(filepath.Separator)) + string(filepath.Separator) + base
	p := packer{tw: tar.NewWriter(w), rename: rename, seen: map[uint64]string{}}
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(root, path)
		if err != nil {
			return err
		}
		name := top
		if rel != "." {
			name = top + "/" + filepath.ToSlash(rel)
		}
		return p.add(path, name)
	})
	if err != nil {
		return fmt.Errorf("archive %s: %w", src.path, err)
	}
	return p.tw.Close()
}

// packer writes entries and remembers the files already written, so a
// second hard link to one becomes a link entry instead of a second copy.
type packer struct {
	tw     *tar.Writer
	rename func(string) string
	seen   map[uint64]string
}

func (p *packer) add(path, name string) error {
	fi, err := os.Lstat(path)
	if err != nil {
		return err
	}
	if fi.Mode()&os.ModeSocket != 0 {
		return nil // a socket cannot be archived, and docker cp leaves it out too
	}
	var link string
	if fi.Mode()&os.ModeSymlink != 0 {
		if link, err = os.Readlink(path); err != nil {
			return err
		}
	}
	// Without Sys, archive/tar does not look owners' names up (which
	// docker cp leaves empty too); fileOwner fills the numbers in.
	hdr, err := tar.FileInfoHeader(namelessInfo{fi}, link)
	if err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	hdr.Format = tar.FormatPAX
	hdr.ModTime = hdr.ModTime.Truncate(1e9)
	if fi.IsDir() {
		name += "/"
	}
	if p.rename != nil {
		name = p.rename(name)
	}
	hdr.Name = name
	inode, linked := fileOwner(fi, hdr)
	if linked && !fi.IsDir() {
		if first, ok := p.seen[inode]; ok {
			hdr.Typeflag, hdr.Linkname, hdr.Size = tar.TypeLink, first, 0
		} else {
			p.seen[inode] = name
		}
	}
	if err := p.tw.WriteHeader(hdr); err != nil {
		return err
	}
	if hdr.Typeflag != tar.TypeReg || hdr.Size == 0 {
		return nil
	}
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	_, err = io.Copy(p.tw, f)
	return err
}

// namelessInfo hides a file's system data from archive/tar, which would
// otherwise look its owner's name up in the user database.
type namelessInfo struct{ os.FileInfo }

func (namelessInfo) Uname() (string, error) { return "", nil }
func (namelessInfo) Gname() (string, error) { return "", nil }
func (namelessInfo) Sys() any               { return nil }
