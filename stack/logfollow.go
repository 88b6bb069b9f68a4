package stack

import (
	"context"
	"fmt"
	"slices"
	"sync"
	"time"

	"github.com/moby/moby/client"
)

// Logs streams the lines of a project's containers in batches (every
// ~50 ms or 1000 lines), one follower per container, with each line's time
// and stream. One-off containers (docker compose run) are left out unless
// opts.OneOff.
//
// With Follow, Logs subscribes to the project's events before listing its
// containers, and follows every container that starts later: a new one from
// its first line, a restarted one from just after the last line already
// delivered, so nothing is repeated. Without Follow the channel closes once
// every container's lines have been delivered; with it, when ctx ends.
// A container whose logs cannot be read (a logging driver without read
// support) contributes no lines.
func (e *Engine) Logs(ctx context.Context, project string, opts LogsOptions) (<-chan []LogLine, error) {
	// The events subscription and the followers end with the stream; the
	// batcher keeps the caller's ctx so the last lines are still delivered.
	out := newBatcher[LogLine](ctx, logFlushEvery, logBatchSize, true)
	ctx, cancel := context.WithCancel(ctx)
	var evs <-chan []Event
	if opts.Follow {
		evs = e.Events(ctx, project)
	}
	list, err := e.api.ContainerList(ctx, client.ContainerListOptions{All: true, Filters: projectFilter(project)})
	if err != nil {
		cancel()
		out.close()
		return nil, fmt.Errorf("logs %s: %w", project, err)
	}
	f := &logFollowers{
		e:        e,
		ctx:      ctx,
		b:        out,
		services: opts.Services,
		follow:   opts.Follow,
		oneOff:   opts.OneOff,
		state:    map[string]*followState{},
	}
	for _, c := range list.Items {
		f.start(c.ID, func(*followState) (int, time.Time) { return opts.Tail, opts.Since })
	}
	go func() {
		defer cancel()
		if evs != nil {
			f.watch(evs, project)
		}
		f.wg.Wait()
		f.b.close()
	}()
	return f.b.out, nil
}

// logFollowers runs one follower per container and makes sure a container
// never has two, nor loses or repeats lines between two runs.
type logFollowers struct {
	e        *Engine
	ctx      context.Context
	b        *batcher[LogLine]
	services []string
	follow   bool
	oneOff   bool // follow one-off containers too
	wg       sync.WaitGroup

	mu    sync.Mutex
	state map[string]*followState
}

// followState is what the followers of one container so far leave to the
// next one.
type followState struct {
	active bool // a follower is running
	// again is set when the container started while its follower was
	// still draining the previous run; the follower then runs again.
	again bool
	// tail and since are what the last follower asked for; delivered
	// is the time of the last line delivered, zero when none was.
	tail      int
	since     time.Time
	delivered time.Time
}

// from is where a follower of a container that started again resumes: just
// after the last line delivered; when none was, where the last follower
// started but no earlier than shortly before this start (lines the process
// wrote before its start event carry slightly earlier times).
func (s *followState) from(started time.Time) (int, time.Time) {
	if !s.delivered.IsZero() {
		return -1, s.delivered.Add(time.Nanosecond)
	}
	if started.IsZero() {
		return s.tail, s.since
	}
	return -1, later(s.since, started.Add(-time.Second))
}

// start follows a container unless a follower already runs for it; in that
// case the follower is run again once it ends. where chooses tail and since
// from what earlier followers of the container left.
func (f *logFollowers) start(id string, where func(*followState) (int, time.Time)) {
	f.mu.Lock()
	defer f.mu.Unlock()
	s := f.state[id]
	if s == nil {
		s = &followState{}
		f.state[id] = s
	} else if s.active {
		s.again = true
		return
	}
	f.launch(id, s, where)
}

// launch starts a follower; callers hold mu.
func (f *logFollowers) launch(id string, s *followState, where func(*followState) (int, time.Time)) {
	s.tail, s.since = where(s)
	s.active = true
	f.wg.Add(1)
	go f.run(id, s.tail, s.since)
}

func (f *logFollowers) run(id string, tail int, since time.Time) {
	defer f.wg.Done()
	last := f.copy(id, tail, since)
	f.mu.Lock()
	defer f.mu.Unlock()
	s := f.state[id]
	if !last.IsZero() {
		s.delivered = last
	}
	s.active = false
	if s.again && f.ctx.Err() == nil {
		s.again = false
		f.launch(id, s, func(s *followState) (int, time.Time) { return s.from(time.Time{}) })
	}
}

// copy delivers one container's lines until its stream ends and returns
// the time of the last one.
func (f *logFollowers) copy(id string, tail int, since time.Time) time.Time {
	t, err := f.e.logTarget(f.ctx, id)
	if err != nil || t.oneOff && !f.oneOff || (len(f.services) > 0 && !slices.Contains(f.services, t.service)) {
		return time.Time{}
	}
	body, err := f.e.openLogs(f.ctx, t, f.follow, tail, since)
	if err != nil {
		return time.Time{}
	}
	defer body.Close()
	last, _ := copyLogs(body, t, f.b.add)
	return last
}

// watch follows containers as they start, until the events stream closes
// with ctx. After the engine comes back, every running container without a
// follower is followed again from where it stopped.
func (f *logFollowers) watch(evs <-chan []Event, project string) {
	for batch := range evs {
		for _, ev := range batch {
			switch ev.Action {
			case "start":
				f.start(ev.ContainerID, func(s *followState) (int, time.Time) { return s.from(ev.Time) })
			case EventEngineUp:
				f.resync(project)
			}
		}
	}
}

func (f *logFollowers) resync(project string) {
	list, err := f.e.api.ContainerList(f.ctx, client.ContainerListOptions{Filters: projectFilter(project)})
	if err != nil {
		return
	}
	for _, c := range list.Items {
		f.mu.Lock()
		s := f.state[c.ID]
		if s == nil {
			s = &followState{tail: -1}
			f.state[c.ID] = s
		}
		if !s.active {
			f.launch(c.ID, s, func(s *followState) (int, time.Time) { return s.from(time.Time{}) })
		}
		f.mu.Unlock()
	}
}
