// Package stack is devstack's domain and its engine layer: it loads compose
// projects the way the docker compose CLI does (compose-go), converges a
// Docker engine to them with Compose's labels and config hashes, and exposes
// the verbs (up, down, ps, logs, stats, exec, build, events) as synchronous
// functions and receive-only streams of plain Go values.
//
// stack must not import any UI package (charm.land/...); packages above it
// (tui, templates, cmd) must not import engine or compose-go types — they
// use the plain types declared here. Both rules are enforced by
// layering_test.go at the module root.
package stack
