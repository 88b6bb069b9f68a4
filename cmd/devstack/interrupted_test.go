package main

import (
	"testing"

	"github.com/devstack/devstack/stack"
)

// TestInterruptedState: the sentence after ctrl-c counts services running,
// those still on an older configuration (a pull or build of the new images
// was cut short) and containers not running.
func TestInterruptedState(t *testing.T) {
	p := &stack.Project{Services: []stack.Service{{Name: "a", Hash: "a2"}, {Name: "b", Hash: "b2"}, {Name: "c", Hash: "c2"}}}
	run := func(svc, hash string) stack.Container {
		return stack.Container{Service: svc, ConfigHash: hash, State: stack.StateRunning}
	}
	for _, tc := range []struct {
		name string
		cs   []stack.Container
		want string
	}{
		{"converged", []stack.Container{run("a", "a2"), run("b", "b2"), run("c", "c2")},
			"3 of 3 services running, 0 containers stopped or not started yet"},
		{"pull cut short", []stack.Container{run("a", "a1"), run("b", "b1"), run("c", "c2")},
			"3 of 3 services running (2 still on their previous configuration), 0 containers stopped or not started yet"},
		{"recreate cut short", []stack.Container{run("a", "a2"), {Service: "b", ConfigHash: "b2", State: stack.StateCreated}},
			"1 of 3 services running, 1 containers stopped or not started yet"},
		{"orphan not counted", []stack.Container{run("old", "x")},
			"0 of 3 services running, 0 containers stopped or not started yet"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := interruptedState(p, tc.cs); got != tc.want {
				t.Errorf("got %q, want %q", got, tc.want)
			}
		})
	}
}
