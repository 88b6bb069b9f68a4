package stack

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

func TestUnreachableAdvice(t *testing.T) {
	cases := []struct {
		err  error
		want string
	}{
		{fmt.Errorf("dial unix /var/run/docker.sock: connect: %w", syscall.EACCES), "add it to the docker group"},
		{fmt.Errorf("dial unix /x.sock: connect: %w", syscall.ENOENT), "is the Docker engine running?"},
		{errors.New("dial tcp 127.0.0.1:2375: connect: connection refused"), "is the Docker engine running?"},
		{context.DeadlineExceeded, "answers at that address"},
	}
	for _, c := range cases {
		got := unreachableAdvice(c.err)
		if !strings.Contains(got, c.want) || !strings.Contains(got, "DOCKER_HOST") {
			t.Errorf("%v: got %q, want it to say %q and where the address comes from", c.err, got, c.want)
		}
		if strings.Contains(got, "may you") {
			t.Errorf("%v: %q", c.err, got)
		}
	}
}

// TestConnectMissingSocket: the real message for a socket that is not
// there says the engine is not running, not a riddle.
func TestConnectMissingSocket(t *testing.T) {
	sock := filepath.Join(t.TempDir(), "none.sock")
	_, err := Connect(context.Background(), ConnectOptions{Host: "unix://" + sock})
	if !errors.Is(err, ErrEngineUnreachable) || !strings.Contains(err.Error(), "is the Docker engine running?") {
		t.Errorf("got %v", err)
	}
}
