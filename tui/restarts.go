package tui

import "time"

// observedStart is what the screen last saw of a container's starts.
type observedStart struct {
	startedAt   time.Time
	engineCount int
	// manual counts new starts the engine's RestartCount did not count:
	// the engine counts only the restarts of a restart policy, so a restart
	// by hand (r here, docker restart elsewhere) would leave RST blank.
	manual int
}

// observeRestarts counts, per container, the starts seen since the screen
// opened that the engine does not count. A start after a stop by the user
// is not a restart: it ends the stop instead.
func (m *model) observeRestarts() {
	started := map[string]bool{}
	for id, c := range m.containers {
		if c.OneOff {
			continue // run once; the engine never restarts it
		}
		o, seen := m.restarts[id]
		// A first start (from created, StartedAt zero) is not a restart.
		if seen && !o.startedAt.IsZero() && c.StartedAt.After(o.startedAt) {
			if c.RestartCount <= o.engineCount && !m.stopped[c.Service] {
				o.manual++
			}
			started[c.Service] = true
		}
		if c.StartedAt.After(o.startedAt) {
			o.startedAt = c.StartedAt
		}
		o.engineCount = c.RestartCount
		m.restarts[id] = o
	}
	for svc := range started {
		delete(m.stopped, svc)
	}
	for id := range m.restarts {
		if _, ok := m.containers[id]; !ok {
			delete(m.restarts, id)
		}
	}
}
