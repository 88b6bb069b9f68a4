package stack

import (
	"context"
	"sync"
	"time"
)

// batcher gathers items that many goroutines produce and hands them to one
// consumer as slices: a flush happens `every` after the first pending item,
// or as soon as `size` items wait. A flood of log lines then costs the
// consumer one receive per flush, not one per line, and an idle stream costs
// no timer wake-ups at all.
//
// With backpressure set, producers wait while `size` items are pending and
// the consumer has not taken the previous batch, so memory stays bounded and
// a slow consumer slows the source down (the engine keeps logs on disk). The
// events stream sets no backpressure: the engine drops events for a
// subscriber that does not read within 100 ms, and events are few.
type batcher[T any] struct {
	out          chan []T
	every        time.Duration
	size         int
	backpressure bool

	mu      sync.Mutex
	room    *sync.Cond // signalled when pending is taken or the batcher stops
	pending []T
	stopped bool

	wake      chan struct{} // first item after a flush
	full      chan struct{} // size items pending
	closing   chan struct{}
	closeOnce sync.Once
}

// newBatcher starts a batcher whose out channel closes when ctx ends or
// after close has been called and the last items were delivered.
func newBatcher[T any](ctx context.Context, every time.Duration, size int, backpressure bool) *batcher[T] {
	b := &batcher[T]{
		out:          make(chan []T),
		every:        every,
		size:         size,
		backpressure: backpressure,
		wake:         make(chan struct{}, 1),
		full:         make(chan struct{}, 1),
		closing:      make(chan struct{}),
	}
	b.room = sync.NewCond(&b.mu)
	unhook := context.AfterFunc(ctx, b.stop)
	go func() {
		b.run(ctx)
		unhook() // a stream that ended before ctx must not stay hooked to it
	}()
	return b
}

// add queues an item; it reports false once the stream has ended, so the
// producer can stop reading its source.
func (b *batcher[T]) add(item T) bool {
	b.mu.Lock()
	defer b.mu.Unlock()
	for b.backpressure && !b.stopped && len(b.pending) >= b.size {
		b.room.Wait()
	}
	if b.stopped {
		return false
	}
	b.pending = append(b.pending, item)
	switch len(b.pending) {
	case 1:
		signal(b.wake)
	case b.size:
		signal(b.full)
	}
	return true
}

// close says no more items will come: what is pending is delivered, then
// out closes. Safe to call more than once.
func (b *batcher[T]) close() {
	b.closeOnce.Do(func() { close(b.closing) })
}

func (b *batcher[T]) stop() {
	b.mu.Lock()
	b.stopped = true
	b.room.Broadcast()
	b.mu.Unlock()
}

func (b *batcher[T]) run(ctx context.Context) {
	defer close(b.out)
	defer b.stop()
	timer := time.NewTimer(b.every)
	timer.Stop()
	for {
		closing := false
		select {
		case <-ctx.Done():
			return
		case <-b.closing:
			closing = true
		case <-b.wake:
			timer.Reset(b.every)
			select {
			case <-ctx.Done():
				return
			case <-b.closing:
				closing = true
			case <-timer.C:
			case <-b.full:
			}
			timer.Stop()
		}
		if batch := b.take(); len(batch) > 0 {
			select {
			case b.out <- batch:
			case <-ctx.Done():
				return
			}
		}
		if closing {
			return
		}
	}
}

// take hands over everything pending and lets waiting producers go on.
func (b *batcher[T]) take() []T {
	b.mu.Lock()
	defer b.mu.Unlock()
	batch := b.pending
	b.pending = make([]T, 0, min(max(len(batch), 16), b.size))
	// A full signal left from this batch would flush the next one early.
	select {
	case <-b.full:
	default:
	}
	b.room.Broadcast()
	return batch
}

// signal wakes the flusher without ever blocking the producer.
func signal(c chan struct{}) {
	select {
	case c <- struct{}{}:
	default:
	}
}
