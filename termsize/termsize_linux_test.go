//go:build linux

package termsize

import (
	"fmt"
	"os"
	"syscall"
	"testing"
	"time"

	"golang.org/x/sys/unix"
)

// openPTY opens a pseudo-terminal pair and returns its terminal side.
func openPTY(t *testing.T) *os.File {
	t.Helper()
	ptm, err := os.OpenFile("/dev/ptmx", os.O_RDWR|syscall.O_NOCTTY, 0)
	if err != nil {
		t.Fatalf("open /dev/ptmx: %v", err)
	}
	t.Cleanup(func() { ptm.Close() })
	if err := unix.IoctlSetPointerInt(int(ptm.Fd()), unix.TIOCSPTLCK, 0); err != nil {
		t.Fatalf("unlock pty: %v", err)
	}
	n, err := unix.IoctlGetInt(int(ptm.Fd()), unix.TIOCGPTN)
	if err != nil {
		t.Fatalf("pty number: %v", err)
	}
	pts, err := os.OpenFile(fmt.Sprintf("/dev/pts/%d", n), os.O_RDWR|syscall.O_NOCTTY, 0)
	if err != nil {
		t.Fatalf("open pts: %v", err)
	}
	t.Cleanup(func() { pts.Close() })
	return pts
}

func setSize(t *testing.T, f *os.File, rows, cols uint16) {
	t.Helper()
	if err := unix.IoctlSetWinsize(int(f.Fd()), unix.TIOCSWINSZ, &unix.Winsize{Row: rows, Col: cols}); err != nil {
		t.Fatalf("set size: %v", err)
	}
}

func TestGet(t *testing.T) {
	pts := openPTY(t)
	setSize(t, pts, 33, 101)
	if got, ok := Get(pts.Fd()); !ok || got != (Size{Rows: 33, Cols: 101}) {
		t.Fatalf("Get = %v, %v; want {33 101}, true", got, ok)
	}
	f, err := os.CreateTemp(t.TempDir(), "plain")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if got, ok := Get(f.Fd()); ok {
		t.Fatalf("Get on a regular file = %v, true; want false", got)
	}
}

// TestWatchFollowsSIGWINCH resizes a real pseudo-terminal, raises SIGWINCH
// as the kernel does for the foreground process, and expects the new size;
// after stop, no more calls.
func TestWatchFollowsSIGWINCH(t *testing.T) {
	pts := openPTY(t)
	setSize(t, pts, 24, 80)
	got := make(chan Size, 4)
	stop := Watch(pts.Fd(), func(s Size) { got <- s })
	setSize(t, pts, 40, 120)
	if err := syscall.Kill(os.Getpid(), syscall.SIGWINCH); err != nil {
		t.Fatal(err)
	}
	select {
	case s := <-got:
		if s != (Size{Rows: 40, Cols: 120}) {
			t.Fatalf("got %v, want {40 120}", s)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("no size after SIGWINCH")
	}
	stop()
	stop() // a second stop is harmless
	_ = syscall.Kill(os.Getpid(), syscall.SIGWINCH)
	select {
	case s := <-got:
		t.Fatalf("size %v reported after stop", s)
	case <-time.After(50 * time.Millisecond):
	}
}
