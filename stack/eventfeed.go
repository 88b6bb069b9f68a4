package stack

import (
	"context"
	"sync"
)

// eventFeeds shares one engine events subscription per project among all
// the streams of an Engine that follow it. The dashboard's state, the stats
// scheduler and the log followers each want the project's events; three
// subscriptions would cost the engine three streams and three reconnection
// loops for the same messages.
type eventFeeds struct {
	mu        sync.Mutex
	byProject map[string]*eventFeed
}

// eventFeed is one project's subscription and the streams it feeds. Each
// subscriber has its own batcher, so a slow reader delays nobody else (the
// events batcher never blocks its producer).
type eventFeed struct {
	cancel context.CancelFunc
	mu     sync.Mutex
	subs   map[*batcher[Event]]bool
}

// join adds a subscriber to the project's feed, starting the feed (and
// subscribing with the engine, before join returns) when it is the first.
func (fs *eventFeeds) join(e *Engine, project string, b *batcher[Event]) {
	fs.mu.Lock()
	defer fs.mu.Unlock()
	f := fs.byProject[project]
	if f == nil {
		ctx, cancel := context.WithCancel(context.Background())
		f = &eventFeed{cancel: cancel, subs: map[*batcher[Event]]bool{}}
		w := &eventWatch{e: e, project: project, emit: f.emit}
		sub := w.subscribe(ctx)
		go w.run(ctx, sub)
		if fs.byProject == nil {
			fs.byProject = map[string]*eventFeed{}
		}
		fs.byProject[project] = f
	}
	f.mu.Lock()
	f.subs[b] = true
	f.mu.Unlock()
}

// leave removes a subscriber; the last one to leave ends the feed and its
// engine subscription.
func (fs *eventFeeds) leave(project string, b *batcher[Event]) {
	fs.mu.Lock()
	defer fs.mu.Unlock()
	f := fs.byProject[project]
	if f == nil {
		return
	}
	f.mu.Lock()
	delete(f.subs, b)
	last := len(f.subs) == 0
	f.mu.Unlock()
	if last {
		f.cancel()
		delete(fs.byProject, project)
	}
}

// subscribers counts the streams a project's feed serves (for tests).
func (fs *eventFeeds) subscribers(project string) int {
	fs.mu.Lock()
	defer fs.mu.Unlock()
	if f := fs.byProject[project]; f != nil {
		f.mu.Lock()
		defer f.mu.Unlock()
		return len(f.subs)
	}
	return 0
}

// emit hands an event to every subscriber; it never blocks.
func (f *eventFeed) emit(ev Event) bool {
	f.mu.Lock()
	defer f.mu.Unlock()
	for b := range f.subs {
		b.add(ev)
	}
	return true
}
