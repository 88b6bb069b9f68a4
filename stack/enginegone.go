package stack

import (
	"errors"
	"io"
	"syscall"

	"github.com/moby/moby/client"
)

// EngineGone reports whether err says the engine stopped answering in the
// middle of an operation (restarted, stopped, its socket cut) rather than
// refusing the request: the one fact a user needs from a pile of failed
// requests, each with its own URL.
func EngineGone(err error) bool {
	if err == nil {
		return false
	}
	if errors.Is(err, ErrEngineUnreachable) || client.IsErrConnectionFailed(err) {
		return true
	}
	for _, e := range []error{syscall.ECONNREFUSED, syscall.ECONNRESET, syscall.EPIPE, syscall.ENOENT, io.ErrUnexpectedEOF} {
		if errors.Is(err, e) {
			return true
		}
	}
	return false
}
