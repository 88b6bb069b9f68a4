//go:build !windows

package stack

import (
	"archive/tar"
	"os"
	"path/filepath"
	"syscall"
	"time"

	"golang.org/x/sys/unix"
)

// fileOwner puts a file's owner and device numbers in its header, and
// returns its inode and whether other hard links share it.
func fileOwner(fi os.FileInfo, hdr *tar.Header) (inode uint64, linked bool) {
	st, ok := fi.Sys().(*syscall.Stat_t)
	if !ok {
		return 0, false
	}
	hdr.Uid, hdr.Gid = int(st.Uid), int(st.Gid)
	if fi.Mode()&os.ModeDevice != 0 {
		rdev := uint64(st.Rdev) //nolint:unconvert // its type differs between systems
		hdr.Devmajor, hdr.Devminor = int64(unix.Major(rdev)), int64(unix.Minor(rdev))
	}
	return uint64(st.Ino), st.Nlink > 1 //nolint:unconvert // its type differs between systems
}

// setLinkTimes sets a symbolic link's own times (the os package only has
// calls that follow links), through a handle on its folder inside root.
func setLinkTimes(root *os.Root, name string, atime, mtime time.Time) error {
	if mtime.IsZero() {
		return nil
	}
	dir, err := root.Open(filepath.Dir(name))
	if err != nil {
		return err
	}
	defer dir.Close()
	ts := []unix.Timespec{unix.NsecToTimespec(atime.UnixNano()), unix.NsecToTimespec(mtime.UnixNano())}
	if err := unix.UtimesNanoAt(int(dir.Fd()), filepath.Base(name), ts, unix.AT_SYMLINK_NOFOLLOW); err != nil && err != unix.ENOSYS {
		return &os.PathError{Op: "lutimes", Path: name, Err: err}
	}
	return nil
}
