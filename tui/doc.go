// Package tui is devstack's terminal UI: the live dashboard of a compose
// stack (services table, resource history, logs, inspect pane, actions).
//
// It owns everything Bubble Tea, Lip Gloss and terminal related. It talks to
// the engine only through the small Backend interface it declares (the
// consumer owns the interface); cmd/devstack adapts *stack.Engine to it.
// It uses the plain domain types of package stack and must never import
// github.com/moby/..., github.com/docker/... or github.com/compose-spec/...
// (layering_test.go enforces it).
//
// Shape: a root model routes messages to child models that are plain structs
// with update, view and setSize; all message types live in messages.go; keys
// in one table (keys.go) from which help is generated; styles in one file
// (styles.go); presentation in pure functions (format.go, servicerow.go).
package tui
