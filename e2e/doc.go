// Package e2e runs the real devstack binary against the real engine: the
// CLI verbs on the example stack, and the dashboard under tmux, driven with
// send-keys and read with capture-pane. Every test uses its own project
// name and removes what it created.
package e2e
