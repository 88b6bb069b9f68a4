package stack

import (
	"context"
	"time"
)

const (
	opFlushEvery = 50 * time.Millisecond
	opBatchSize  = 256
)

// Op is a long operation running in the background (a rebuild, a pull):
// its progress as a stream of batches, like logs and stats, and its
// outcome once that stream has closed.
type Op struct {
	progress <-chan []Progress
	done     chan struct{}
	err      error
}

// Progress delivers the operation's steps in batches (every ~50 ms or 256
// steps); it closes once the operation has ended and every step was
// delivered. A reader that falls behind holds the operation back rather
// than let steps pile up in memory.
func (o *Op) Progress() <-chan []Progress { return o.progress }

// Wait blocks until the operation has ended and returns its error.
func (o *Op) Wait() error {
	<-o.done
	return o.err
}

// StartOp runs fn in the background, feeding what it reports to the Op's
// progress stream. Ending ctx ends the operation and the stream.
func StartOp(ctx context.Context, fn func(ctx context.Context, progress ProgressFunc) error) *Op {
	b := newBatcher[Progress](ctx, opFlushEvery, opBatchSize, true)
	o := &Op{progress: b.out, done: make(chan struct{})}
	go func() {
		o.err = fn(ctx, func(p Progress) { b.add(p) })
		close(o.done)
		b.close()
	}()
	return o
}
