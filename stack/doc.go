// Package stack is devstack's domain and its engine layer: it loads compose
// projects the way the docker compose CLI does (compose-go), converges a
// Docker engine to them with Compose's labels and config hashes, and exposes
// the verbs (up, down, ps, logs, stats, exec, build, events) as synchronous
// functions and receive-only streams of plain Go values.
//
// A Session (session.go) is one stack as a screen drives it: the engine, how
// the project was loaded and the watch of its files; it is what the
// dashboard's Backend interface asks for. All streams of an Engine that
// follow a project share one events subscription (eventfeed.go); long
// operations report progress as a batched stream (Op, op.go).
//
// Pure parsing that needs no engine lives in packages of its own under
// stack/internal: composeload reads compose files the way the CLI does
// (environment origins, warnings, located load errors, legacy files), and
// Load (load.go) only builds the plain Project from its result; cgroups
// reads containers' counters from the kernel's files for the stats
// stream; dockerfile reads a Dockerfile's stages and the syntax each
// builder lacks; confighash computes Compose's config hashes; yamlpos
// finds the file and line of a compose key; composev1 converts v1 compose
// files to the current format. The loader's types callers use
// (LoadOptions, LoadError, Warning, EnvVar, MigratedFile, the
// ErrNoComposeFile and ErrUnknownService sentinels) are re-exported here
// as aliases, so packages above stack see only stack.
//
// stack must not import any UI package (charm.land/...); packages above it
// (tui, templates, cmd) must not import engine or compose-go types — they
// use the plain types declared here. Both rules are enforced by
// layering_test.go at the module root.
package stack
