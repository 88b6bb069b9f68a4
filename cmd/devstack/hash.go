package main

import (
	"fmt"
	"strings"

	"github.com/devstack/devstack/stack"
)

// printHashes prints `<service> <hash>` lines, compose's `config --hash` format.
func printHashes(g *globals, services []stack.Service, which string) error {
	want := map[string]bool{}
	if which != "*" {
		for _, n := range splitList(which) {
			want[n] = true
		}
	}
	found := 0
	for _, s := range services {
		if which == "*" || want[s.Name] {
			fmt.Fprintf(g.stdout, "%s %s\n", s.Name, s.Hash)
			found++
		}
	}
	if which != "*" && found != len(want) {
		return fmt.Errorf("config --hash %s: %w", which, stack.ErrUnknownService)
	}
	return nil
}

// splitList splits a comma-separated list of names, trimming spaces.
func splitList(s string) []string {
	var out []string
	for _, n := range strings.Split(s, ",") {
		if n = strings.TrimSpace(n); n != "" {
			out = append(out, n)
		}
	}
	return out
}
