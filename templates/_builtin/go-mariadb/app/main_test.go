package main

import (
	"net"
	"testing"
)

func TestServerVersion(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	go func() {
		c, err := ln.Accept()
		if err != nil {
			return
		}
		defer c.Close()
		c.Write(append([]byte{20, 0, 0, 0, 10}, "11.4.2-MariaDB\x00rest"...))
	}()
	got, err := serverVersion(ln.Addr().String())
	if err != nil || got != "11.4.2-MariaDB" {
		t.Fatalf("got %q, %v; want 11.4.2-MariaDB", got, err)
	}
}
