package tui

import (
	"testing"

	"github.com/devstack/devstack/stack"
)

// ContractFake builds the fake for the contract in tui/backendtest (which
// the external test package runs: backendtest imports tui): one service
// "web" with one running container and a volume named in the compose file.
// remove and cut change it from outside, as the contract's World asks.
func ContractFake(t *testing.T, withProject bool) (b Backend, remove, cut func(*testing.T), runOneOff func(*testing.T) string) {
	c := stack.Container{ID: "web0000000000000000000001", Name: "shop-web-1", Service: "web", Number: 1,
		State: stack.StateRunning, Image: "local/busybox"}
	var p *stack.Project
	if withProject {
		p = &stack.Project{Name: "shop", Services: []stack.Service{{Name: "web", Image: "local/busybox"}},
			Volumes: []string{"data"}}
	}
	f := newFake(p, c)
	f.volumes = []string{"shop-data"}
	remove = func(*testing.T) {
		f.mu.Lock()
		defer f.mu.Unlock()
		delete(f.containers, c.ID)
	}
	cut = func(*testing.T) {
		f.mu.Lock()
		defer f.mu.Unlock()
		f.engineDown = true
	}
	runOneOff = func(*testing.T) string {
		id := "web0000000000000000000run1"
		f.setContainer(stack.Container{ID: id, Name: "shop-web-run-0123456789ab", Service: "web", OneOff: true,
			State: stack.StateRunning, Image: "local/busybox", Command: "sleep 300"})
		return id
	}
	return f, remove, cut, runOneOff
}
