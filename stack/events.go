package stack

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/moby/moby/api/types/events"
	"github.com/moby/moby/client"
)

const (
	eventFlushEvery = 50 * time.Millisecond
	eventBatchSize  = 256
	// Reconnection backoff after the engine went away.
	eventRetryFirst = 250 * time.Millisecond
	eventRetryMax   = 5 * time.Second
)

// Events streams what happens to the project's containers, in batches.
//
// The subscription is made before Events returns: anything that happens
// afterwards is delivered, so a caller that subscribes and then lists
// containers misses nothing. exec_* actions (three per healthcheck run) are
// dropped; health status changes arrive as ActionHealthStatus with the new
// Health; a die carries the exit code. When the connection to the engine is
// lost the stream delivers an Event with Action EventEngineDown, retries with
// backoff, and on reconnecting delivers EventEngineUp after resubscribing
// from the last event seen, so nothing that happened in between is lost —
// state that was derived from events should be refreshed on EventEngineUp.
// The channel closes when ctx ends.
//
// All the streams of one Engine that follow a project (Events, Stats and
// Logs with Follow) share one subscription with the engine (eventfeed.go).
func (e *Engine) Events(ctx context.Context, project string) <-chan []Event {
	b := newBatcher[Event](ctx, eventFlushEvery, eventBatchSize, false)
	e.feeds.join(e, project, b)
	context.AfterFunc(ctx, func() { e.feeds.leave(project, b) })
	return b.out
}

// EventsSince is Events beginning at a past moment: what happened to the
// project since then (as far as the engine's bounded history goes) comes
// first. It has a subscription of its own, since the shared feed starts
// now. A zero since is Events.
func (e *Engine) EventsSince(ctx context.Context, project string, since time.Time) <-chan []Event {
	if since.IsZero() {
		return e.Events(ctx, project)
	}
	b := newBatcher[Event](ctx, eventFlushEvery, eventBatchSize, false)
	w := &eventWatch{e: e, project: project, since: since, emit: func(ev Event) bool { b.add(ev); return true }}
	sub := w.subscribe(ctx)
	go w.run(ctx, sub)
	return b.out
}

// eventWatch is the one subscription of a project's feed: it reads the
// engine's events, reconnects after the engine went away, and hands every
// event to emit (which reports false once the feed ends).
type eventWatch struct {
	e       *Engine
	project string
	emit    func(Event) bool
	// since is where a resubscription starts: just after the last event
	// delivered, or the time of the first subscription when none came.
	since time.Time
}

func (w *eventWatch) subscribe(ctx context.Context) client.EventsResult {
	opts := client.EventsListOptions{
		Filters: make(client.Filters).
			Add("type", string(events.ContainerEventType)).
			Add("label", projectLabelFilter(w.project)),
	}
	if w.since.IsZero() {
		w.since = time.Now()
	} else {
		opts.Since = unixNanoString(w.since)
	}
	return w.e.api.Events(ctx, opts)
}

func (w *eventWatch) run(ctx context.Context, sub client.EventsResult) {
	for {
		w.pump(ctx, sub)
		if ctx.Err() != nil {
			return
		}
		w.emit(Event{Time: time.Now(), Action: EventEngineDown})
		for retry := eventRetryFirst; ; retry = min(retry*2, eventRetryMax) {
			if !sleepCtx(ctx, retry) {
				return
			}
			// A ping first: a subscription request to a dead engine only
			// fails after it has returned.
			if w.e.ping(ctx) == nil {
				break
			}
		}
		sub = w.subscribe(ctx)
		w.emit(Event{Time: time.Now(), Action: EventEngineUp})
	}
}

// pump forwards events until the subscription fails or ctx ends.
func (w *eventWatch) pump(ctx context.Context, sub client.EventsResult) {
	for {
		select {
		case m := <-sub.Messages:
			w.since = time.Unix(0, m.TimeNano+1)
			if ev, ok := toEvent(m); ok && !w.emit(ev) {
				return
			}
		case <-sub.Err:
			return
		case <-ctx.Done():
			return
		}
	}
}

// toEvent turns an engine message into devstack's Event; false for actions
// nobody downstream wants.
func toEvent(m events.Message) (Event, bool) {
	action := string(m.Action)
	if strings.HasPrefix(action, "exec_") {
		return Event{}, false
	}
	ev := Event{
		Time:        time.Unix(0, m.TimeNano),
		ContainerID: m.Actor.ID,
		Service:     m.Actor.Attributes[labelService],
		Action:      EventAction(action),
	}
	if rest, ok := strings.CutPrefix(action, "health_status"); ok {
		ev.Action = ActionHealthStatus
		ev.Health = Health(strings.TrimSpace(strings.TrimPrefix(rest, ":")))
	}
	ev.OneOff = m.Actor.Attributes[labelOneOff] == "True"
	for k, v := range m.Actor.Attributes {
		if !strings.HasPrefix(k, "com.docker.compose.") {
			if ev.Attributes == nil {
				ev.Attributes = map[string]string{}
			}
			ev.Attributes[k] = v
		}
	}
	if m.Action == events.ActionDie {
		// A missing or garbled attribute leaves 0, as the engine would show.
		ev.ExitCode, _ = strconv.Atoi(m.Actor.Attributes["exitCode"])
	}
	return ev, true
}

// projectFilter selects the containers of a project.
func projectFilter(project string) client.Filters {
	return make(client.Filters).Add("label", projectLabelFilter(project))
}

// unixNanoString formats t the way the engine's since/until parameters
// accept it with full precision.
func unixNanoString(t time.Time) string {
	return fmt.Sprintf("%d.%09d", t.Unix(), t.Nanosecond())
}

// sleepCtx waits d and reports false when ctx ended first.
func sleepCtx(ctx context.Context, d time.Duration) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-ctx.Done():
		return false
	}
}
