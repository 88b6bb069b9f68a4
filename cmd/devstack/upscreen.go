package main

import (
	"context"
	"errors"
	"sync"
	"time"

	"github.com/devstack/devstack/stack"
	"github.com/devstack/devstack/tui"
)

// upBehindScreen opens the dashboard at once and runs the up behind it, so
// the screen is never blank while images are pulled: each service's row
// shows its image's pull, and a failure's reason. The up's error, if any,
// is returned when the screen closes (and shown in its status line before).
func upBehindScreen(ctx context.Context, g *globals, e *stack.Engine, p *stack.Project, opts stack.UpOptions) error {
	feed := newUpFeed()
	opts.Progress = feed.report
	upCtx, cancel := context.WithCancel(ctx)
	defer cancel()
	done := make(chan error, 1)
	go func() {
		err := e.Up(upCtx, p, opts)
		feed.finish(err)
		done <- err
	}()
	screenErr := runScreenOn(ctx, g, e, p, p.Name, func(s *screenBackend) tui.Backend {
		return &upBackend{screenBackend: s, feed: feed}
	})
	cancel()
	upErr := <-done
	if errors.Is(upErr, context.Canceled) {
		upErr = nil // the user closed the screen while the up ran
	}
	return errors.Join(upErr, screenErr)
}

// upBackend is the dashboard's backend plus the running up's steps.
type upBackend struct {
	*screenBackend
	feed *upFeed
}

// Pulls implements tui.PullWatcher.
func (b *upBackend) Pulls(ctx context.Context) <-chan []stack.Progress { return b.feed.stream(ctx) }

// upFeed batches an up's pull steps, warnings and end for the screen: the
// latest step per image and every other step, flushed every 50 ms at most,
// so a fast pull never floods the screen's loop.
type upFeed struct {
	mu      sync.Mutex
	pending []stack.Progress
	latest  map[string]int // image → index in pending of its last in-flight step
	notify  chan struct{}
	closed  bool
}

func newUpFeed() *upFeed {
	return &upFeed{latest: map[string]int{}, notify: make(chan struct{}, 1)}
}

func (f *upFeed) report(p stack.Progress) {
	switch {
	case p.Pull != nil:
	case p.Kind == stack.ProgressWarning, p.Kind == stack.ProgressError, p.Kind == stack.ProgressBuilding, p.Kind == stack.ProgressBuilt:
	default:
		return // the screen sees containers through the engine's events
	}
	f.mu.Lock()
	if i, ok := f.latest[p.Subject]; ok && p.Pull != nil && (p.Kind == stack.ProgressPulling || p.Kind == stack.ProgressPushing) {
		f.pending[i] = p
	} else {
		if p.Pull != nil && (p.Kind == stack.ProgressPulling || p.Kind == stack.ProgressPushing) {
			f.latest[p.Subject] = len(f.pending)
		} else {
			delete(f.latest, p.Subject)
		}
		f.pending = append(f.pending, p)
	}
	f.mu.Unlock()
	f.wake()
}

// finish adds the up's error (if any) and ends the stream.
func (f *upFeed) finish(err error) {
	if err != nil && !errors.Is(err, context.Canceled) {
		f.report(stack.Progress{Kind: stack.ProgressError, Text: err.Error()})
	}
	f.mu.Lock()
	f.closed = true
	f.mu.Unlock()
	f.wake()
}

func (f *upFeed) wake() {
	select {
	case f.notify <- struct{}{}:
	default:
	}
}

// take returns what is pending and whether the feed is over.
func (f *upFeed) take() ([]stack.Progress, bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	items := f.pending
	f.pending, f.latest = nil, map[string]int{}
	return items, f.closed
}

// stream delivers the batches until the up ends or ctx does.
func (f *upFeed) stream(ctx context.Context) <-chan []stack.Progress {
	ch := make(chan []stack.Progress)
	go func() {
		defer close(ch)
		for {
			select {
			case <-ctx.Done():
				return
			case <-f.notify:
			}
			items, closed := f.take()
			if len(items) > 0 {
				select {
				case ch <- items:
				case <-ctx.Done():
					return
				}
			}
			if closed {
				return
			}
			time.Sleep(50 * time.Millisecond)
		}
	}()
	return ch
}
