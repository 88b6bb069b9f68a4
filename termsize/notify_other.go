//go:build !unix

package termsize

import "os"

// notify reports resizes on polled: Windows has no SIGWINCH, so the console
// size is read every pollEvery until done is closed. sig stays nil.
func notify(fd uintptr, done <-chan struct{}) (sig <-chan os.Signal, polled <-chan struct{}, unhook func()) {
	return nil, poll(func() (Size, bool) { return Get(fd) }, pollEvery, done), func() {}
}
