package main

import (
	"bytes"
	"strings"
	"testing"

	"github.com/devstack/devstack/stack"
)

func TestPrintHashes(t *testing.T) {
	services := []stack.Service{{Name: "app", Hash: "aaa"}, {Name: "db", Hash: "bbb"}}
	var out bytes.Buffer
	g := &globals{stdout: &out}
	if err := printHashes(g, services, "*"); err != nil || out.String() != "app aaa\ndb bbb\n" {
		t.Errorf("--hash '*': got %q, %v", out.String(), err)
	}
	out.Reset()
	if err := printHashes(g, services, "db"); err != nil || out.String() != "db bbb\n" {
		t.Errorf("--hash db: got %q, %v", out.String(), err)
	}
	if err := printHashes(g, services, "nope"); err == nil {
		t.Error("--hash nope: got no error for an unknown service")
	}
}

func TestLogPrinterPrefixes(t *testing.T) {
	var out bytes.Buffer
	g := &globals{stdout: &out, noColor: true}
	lp := newLogPrinter(g, false, false)
	lp.print([]stack.LogLine{
		{ContainerName: "shop-db-1", Text: "ready"},
		{ContainerName: "shop-web-1", Text: "GET /"},
	})
	want := "shop-db-1 | ready\nshop-web-1 | GET /\n"
	if out.String() != want {
		t.Errorf("got %q, want %q", out.String(), want)
	}
	out.Reset()
	lp = newLogPrinter(g, false, true)
	lp.print([]stack.LogLine{{ContainerName: "x", Text: "plain"}})
	if out.String() != "plain\n" {
		t.Errorf("--no-log-prefix: got %q", out.String())
	}
}

func TestGlobalFlagAfterVerb(t *testing.T) {
	root := newRootCmd()
	var errb bytes.Buffer
	root.SetErr(&errb)
	root.SetOut(&errb)
	root.SetArgs([]string{"ps", "-p", "x"})
	err := root.Execute()
	if err == nil || !strings.Contains(err.Error(), "put it before the verb") {
		t.Errorf("got %v, want a hint that -p goes before the verb", err)
	}
}
