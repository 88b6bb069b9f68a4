package stack

import (
	"errors"
	"fmt"
	"net"
	"os"
	"syscall"
	"testing"
)

func TestEngineGone(t *testing.T) {
	refused := &net.OpError{Op: "dial", Net: "unix", Err: os.NewSyscallError("connect", syscall.ECONNREFUSED)}
	for _, tc := range []struct {
		err  error
		want bool
	}{
		{nil, false},
		{errors.New("Error response from daemon: Conflict"), false},
		{fmt.Errorf("up a: start: %w", refused), true},
		{fmt.Errorf("up a: %w", ErrEngineUnreachable), true},
		{errors.Join(errors.New("x"), fmt.Errorf("create: %w", syscall.ECONNRESET)), true},
	} {
		if got := EngineGone(tc.err); got != tc.want {
			t.Errorf("EngineGone(%v) = %v, want %v", tc.err, got, tc.want)
		}
	}
}
