// Command devstack is the CLI and terminal UI for a Docker Compose stack:
// `devstack up` converges the engine to the compose file and opens the live
// dashboard; the other verbs mirror docker compose's.
//
// This package only parses flags, wires stack, tui and templates together
// and turns errors into exit codes; it must not import engine or compose-go
// packages (layering_test.go enforces it). It is the only place that exits.
package main
