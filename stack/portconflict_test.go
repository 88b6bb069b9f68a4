package stack

import (
	"context"
	"errors"
	"fmt"
	"net"
	"strings"
	"testing"
)

func TestParsePortConflict(t *testing.T) {
	cases := []struct{ msg, ip, port string }{
		{"Error response from daemon: driver failed programming external connectivity on endpoint shop-web-1 (86138bb5198439a9c3b0e4d62f494b7e17f81166d019f536ce267b770fe9e638): Bind for 0.0.0.0:46963 failed: port is already allocated", "0.0.0.0", "46963"},
		{"driver failed programming external connectivity on endpoint x (1145a5cb): Error starting userland proxy: listen tcp4 0.0.0.0:59773: bind: address already in use", "0.0.0.0", "59773"},
		{"listen udp 127.0.0.1:53: bind: address already in use", "127.0.0.1", "53"},
	}
	for _, c := range cases {
		ip, port, ok := parsePortConflict(c.msg)
		if !ok || ip != c.ip || port != c.port {
			t.Errorf("%q: got %s %s %v, want %s %s", c.msg, ip, port, ok, c.ip, c.port)
		}
	}
	if _, _, ok := parsePortConflict("OCI runtime create failed: exec: \"nope\": not found"); ok {
		t.Error("an unrelated start error read as a port conflict")
	}
}

// freeHostPort returns a TCP port nobody listens on at the moment.
func freeHostPort(t *testing.T) int {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}

// TestUpPortHeldByAnotherContainer: when a host port is held by another
// stack's container, up names the port and that container (not the
// engine's endpoint text) and leaves no Created container behind.
func TestUpPortHeldByAnotherContainer(t *testing.T) {
	holder := newTestStack(t, "portholder")
	requireFixture(t, holder.e, "local/busybox")
	port := freeHostPort(t)
	compose := fmt.Sprintf("services:\n  web:\n    image: local/busybox\n    command: [sleep, 1d]\n    ports: [\"%d:80\"]\n", port)
	if err := holder.e.Up(context.Background(), holder.load(compose), UpOptions{}); err != nil {
		t.Fatalf("up the holder: %v", err)
	}
	s := newTestStack(t, "portwant")
	err := s.e.Up(context.Background(), s.load(compose), UpOptions{})
	var pe *PortInUseError
	if !errors.As(err, &pe) || !errors.Is(err, ErrPortInUse) {
		t.Fatalf("up: got %v, want a PortInUseError", err)
	}
	msg := err.Error()
	for _, want := range []string{fmt.Sprintf("host port %d", port), holder.Name + "-web-1 (project " + holder.Name + ", service web)", "was removed again"} {
		if !strings.Contains(msg, want) {
			t.Errorf("error %q does not say %q", msg, want)
		}
	}
	if strings.Contains(msg, "endpoint") {
		t.Errorf("error %q still carries the engine's endpoint text", msg)
	}
	if cs := s.ps(); len(cs) != 0 {
		t.Errorf("left %d containers behind (first: %s, %s)", len(cs), cs[0].Name, cs[0].State)
	}
}
