//go:build unix

package termsize

import (
	"os"
	"os/signal"
	"syscall"
)

// notify reports resizes as SIGWINCH on sig; polled stays nil. unhook stops
// the signal delivery.
func notify(_ uintptr, _ <-chan struct{}) (sig <-chan os.Signal, polled <-chan struct{}, unhook func()) {
	ch := make(chan os.Signal, 1)
	signal.Notify(ch, syscall.SIGWINCH)
	return ch, nil, func() { signal.Stop(ch) }
}
