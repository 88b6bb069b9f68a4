package stack

import (
	"context"
	"errors"
	"slices"
	"sync"
	"testing"
)

const waitStack = `
services:
  quick:
    image: local/busybox
    command: ["sh", "-c", "sleep 1; exit 0"]
  slow:
    image: local/busybox
    command: ["sh", "-c", "sleep 2; exit 7"]
`

// TestWaitExitCodes waits for two services that end with different codes:
// the last one to stop gives the code, each is reported as it stops, a
// second wait on stopped containers answers at once with their code, and
// --down-project removes the stack afterwards.
func TestWaitExitCodes(t *testing.T) {
	s := newTestStack(t, "wait")
	requireFixture(t, s.e, "local/busybox")
	ctx := context.Background()
	p := s.load(waitStack)
	if err := s.e.Up(ctx, p, UpOptions{}); err != nil {
		t.Fatalf("up: %v", err)
	}
	var mu sync.Mutex
	var codes []int
	code, err := s.e.Wait(ctx, s.Name, p, WaitOptions{Services: []string{"quick", "slow"}, Exited: func(_ string, c int) {
		mu.Lock()
		codes = append(codes, c)
		mu.Unlock()
	}})
	if err != nil || code != 7 {
		t.Fatalf("wait: got %d, %v; want 7 (slow stops last)", code, err)
	}
	if !slices.Equal(codes, []int{0, 7}) {
		t.Errorf("exits reported: got %v, want [0 7] in the order they stopped", codes)
	}
	if code, err := s.e.Wait(ctx, s.Name, nil, WaitOptions{Services: []string{"quick"}}); err != nil || code != 0 {
		t.Errorf("wait on a stopped service: got %d, %v; want 0 at once", code, err)
	}
	if _, err := s.e.Wait(ctx, s.Name, p, WaitOptions{Services: []string{"slwo"}}); !errors.Is(err, ErrUnknownService) {
		t.Errorf("wait on a mistyped service: got %v, want ErrUnknownService", err)
	}
	if code, err := s.e.Wait(ctx, s.Name, p, WaitOptions{Services: []string{"slow"}, DownProject: true}); err != nil || code != 7 {
		t.Fatalf("wait --down-project: got %d, %v; want 7", code, err)
	}
	if cs := s.ps(); len(cs) != 0 {
		t.Errorf("wait --down-project left %d containers", len(cs))
	}
}
