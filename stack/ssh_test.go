package stack

import (
	"context"
	"io"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestMain lets the test binary stand in for `ssh host docker system
// dial-stdio` (see TestConnectOverSSH): it relays stdin and stdout to the
// local engine's socket, which is what the remote end does.
func TestMain(m *testing.M) {
	if sock := os.Getenv("DEVSTACK_FAKE_SSH_SOCKET"); sock != "" {
		_ = os.WriteFile(os.Getenv("DEVSTACK_FAKE_SSH_ARGS"), []byte(strings.Join(os.Args[1:], " ")), 0o644)
		conn, err := net.Dial("unix", sock)
		if err != nil {
			os.Exit(255)
		}
		go func() { _, _ = io.Copy(conn, os.Stdin); conn.(*net.UnixConn).CloseWrite() }()
		_, _ = io.Copy(os.Stdout, conn)
		os.Exit(0)
	}
	os.Exit(m.Run())
}

// TestConnectOverSSH connects to ssh://user@host:2222 with an `ssh` on PATH
// that relays to the local engine, and checks the engine answers through
// it and that ssh was asked for the right user, port and command.
func TestConnectOverSSH(t *testing.T) {
	self, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	bin := t.TempDir()
	if err := os.Symlink(self, filepath.Join(bin, "ssh")); err != nil {
		t.Fatal(err)
	}
	argsFile := filepath.Join(t.TempDir(), "args")
	t.Setenv("PATH", bin+string(os.PathListSeparator)+os.Getenv("PATH"))
	t.Setenv("DEVSTACK_FAKE_SSH_SOCKET", "/var/run/docker.sock")
	t.Setenv("DEVSTACK_FAKE_SSH_ARGS", argsFile)

	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	e, err := Connect(ctx, ConnectOptions{Host: "ssh://dev@build-box:2222"})
	if err != nil {
		t.Fatalf("connect over ssh: %v", err)
	}
	defer e.Close()
	if _, err := e.Projects(ctx); err != nil {
		t.Errorf("list projects through the ssh relay: %v", err)
	}
	if e.Local {
		t.Error("an ssh engine must not be treated as local (its cgroup files are elsewhere)")
	}
	args, _ := os.ReadFile(argsFile)
	for _, want := range []string{"-p 2222", "-l dev", "-- build-box docker system dial-stdio"} {
		if !strings.Contains(string(args), want) {
			t.Errorf("ssh args %q lack %q", args, want)
		}
	}
}
