package stack

import (
	"context"
	"sync/atomic"
	"testing"
	"time"
)

func TestBatcherFlushesFullBatchAtOnce(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	b := newBatcher[int](ctx, time.Hour, 10, true)
	for i := range 10 {
		b.add(i)
	}
	select {
	case got := <-b.out:
		if len(got) != 10 || got[0] != 0 || got[9] != 9 {
			t.Fatalf("got batch %v, want 0..9", got)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("a full batch was not flushed before the period")
	}
}

func TestBatcherFlushesAfterPeriod(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	b := newBatcher[int](ctx, 30*time.Millisecond, 1000, true)
	start := time.Now()
	b.add(1)
	b.add(2)
	b.add(3)
	got := <-b.out
	if len(got) != 3 {
		t.Fatalf("got batch %v, want [1 2 3]", got)
	}
	if d := time.Since(start); d < 25*time.Millisecond {
		t.Errorf("flushed after %v, want about the 30ms period", d)
	}
}

func TestBatcherCloseDeliversRemainder(t *testing.T) {
	b := newBatcher[string](context.Background(), time.Hour, 100, true)
	b.add("a")
	b.add("b")
	b.close()
	var all []string
	for batch := range b.out {
		all = append(all, batch...)
	}
	if len(all) != 2 {
		t.Fatalf("got %v after close, want [a b]", all)
	}
	if b.add("c") {
		t.Error("add after the stream ended reported true")
	}
}

// A consumer that stops reading must hold producers back (bounded memory),
// and cancelling must release them and close the channel.
func TestBatcherBackpressureAndCancel(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	b := newBatcher[int](ctx, time.Millisecond, 5, true)
	var added atomic.Int64
	stopped := make(chan struct{})
	go func() {
		defer close(stopped)
		for i := 0; b.add(i); i++ {
			added.Add(1)
		}
	}()
	time.Sleep(100 * time.Millisecond)
	// One batch waits in the flusher's send, one more is pending.
	if n := added.Load(); n > 10 {
		t.Errorf("producer added %d items with nobody reading, want at most 10", n)
	}
	cancel()
	select {
	case <-stopped:
	case <-time.After(5 * time.Second):
		t.Fatal("producer still blocked after cancel")
	}
	for range b.out {
	}
}

func TestBatcherWithoutBackpressureNeverBlocks(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	b := newBatcher[int](ctx, time.Millisecond, 5, false)
	done := make(chan struct{})
	go func() {
		for i := range 1000 {
			b.add(i)
		}
		close(done)
	}()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		t.Fatal("producer blocked although backpressure is off")
	}
	var n int
	for n < 1000 {
		n += len(<-b.out)
	}
}
