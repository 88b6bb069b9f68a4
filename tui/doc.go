// Package tui is devstack's terminal UI: the live dashboard of a compose
// stack (services table, resource history, logs, inspect pane, actions).
//
// It owns everything Bubble Tea, Lip Gloss and terminal related. It talks to
// the engine only through the small Backend interface it declares (the
// consumer owns the interface), which stack.Session implements; a fake in
// the tests implements it too, and both pass the same contract
// (tui/backendtest). It uses the plain domain types of package stack and
// must never import github.com/moby/..., github.com/docker/... or
// github.com/compose-spec/... (layering_test.go enforces it).
//
// Shape: a root model routes messages to child models that are plain structs
// with update, view and setSize; all message types live in messages.go; keys
// in one table (keys.go) that dispatch, help, the ':' palette, the picker,
// the disabled reasons and the README's key block all read; styles in one
// file (styles.go); presentation in pure functions (format.go,
// servicerow.go, columns.go). Update reads the clock once and lays the
// screen out; View only draws.
//
// Wiring (cmd/devstack): stack.NewSession(engine, loadOptions, project),
// tui.LoadConfig(tui.DefaultConfigPath()), cfg.Options(tui.Options{
// ProjectName: session.Name(), Project: p}) and tui.Run(ctx, session, opts).
package tui
