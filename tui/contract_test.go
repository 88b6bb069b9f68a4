package tui_test

import (
	"testing"

	"github.com/devstack/devstack/tui"
	"github.com/devstack/devstack/tui/backendtest"
)

// TestFakeKeepsTheContract runs the Backend contract against the fake the
// screen's tests use; tui/backendtest's own test runs it against the real
// stack.Session on the engine.
func TestFakeKeepsTheContract(t *testing.T) {
	backendtest.Run(t, func(t *testing.T, s backendtest.Setup) backendtest.World {
		b, remove, cut, runOneOff := tui.ContractFake(t, s.Project)
		return backendtest.World{Backend: b, Service: "web", Container: "web0000000000000000000001",
			Volume: "shop-data", Remove: remove, CutEngine: cut, RunOneOff: runOneOff}
	})
}
