package tui

import (
	"sort"
	"strings"

	"github.com/devstack/devstack/stack"
)

// row is one line of the services table: a container, or a declared
// service that has none (not created yet, or switched off by a profile).
type row struct {
	// key identifies the row across refreshes: the container ID, or
	// "service:<name>" when there is no container.
	key     string
	service string
	number  int
	scaled  bool
	state   stack.State
	c       stack.Container
	svc     *stack.Service
	stats   stack.Stats
	has     bool      // stats present
	busy    string    // action in progress on the service ("restart")
	pull    pullState // its image's pull while an up runs behind the screen
	// manualRestarts are restarts the screen saw that the engine does not
	// count (see observedStart).
	manualRestarts int
	// userStopped is set when the user stopped the service: its exit is
	// not a failure, whatever the code.
	userStopped bool
	// memTop is the highest memory sample of the stack, the scale of the
	// memory history of services without a limit.
	memTop float64
	// oneOff is a one-off container (`devstack run`): listed apart, below
	// the service rows, and acted on by container, not by service.
	oneOff bool
}

// subject is what the row's actions act on and are known by (in m.busy,
// the status line, the log store): its service, or a one-off container's
// own name, since acting on it leaves the service alone.
func (r row) subject() string {
	if r.oneOff {
		return r.c.Name
	}
	return r.service
}

// restarts is the RST column: the engine's count plus those seen here.
func (r row) restarts() int { return r.c.RestartCount + r.manualRestarts }

// memFloor is the least top of a memory history without a limit, so a
// stack of small services does not draw full bars for a few hundred KiB.
const memFloor = 64 << 20

// memLimit is the limit memory is drawn against: the service's configured
// one, else none (the engine reports the host's memory as the limit).
func (r row) memLimit() int64 {
	if r.svc != nil && r.svc.Limits.MemoryBytes > 0 {
		return r.svc.Limits.MemoryBytes
	}
	return 0
}

// memScale is the top of the memory history: the limit, else the highest
// memory sample of the whole stack (so rows compare), at least memFloor.
func (r row) memScale() float64 {
	if lim := r.memLimit(); lim > 0 {
		return float64(lim)
	}
	return max(r.memTop, memFloor)
}

// cpuScale is the top of the CPU sparkline: the service's CPU limit, else
// one core or the highest sample (a busy container uses several cores).
func (r row) cpuScale(h *history) float64 {
	if r.svc != nil && r.svc.Limits.CPUs > 0 {
		return r.svc.Limits.CPUs * 100
	}
	top := 100.0
	for _, v := range h.cpu(r.key) {
		top = max(top, v)
	}
	return top
}

// buildRows joins the declared services with the containers the engine has
// and their last stats sample. Containers of services the project does not
// declare (or all of them, without a project) still get rows.
func buildRows(p *stack.Project, containers map[string]stack.Container, stats map[string]stack.Stats) []row {
	byService := map[string][]stack.Container{}
	var rows []row
	for _, c := range containers {
		if c.OneOff {
			rows = append(rows, oneOffRow(p, c, stats))
			continue
		}
		byService[c.Service] = append(byService[c.Service], c)
	}
	seen := map[string]bool{}
	add := func(svc *stack.Service, name string, inactive bool) {
		seen[name] = true
		cs := byService[name]
		sort.Slice(cs, func(i, j int) bool { return cs[i].Number < cs[j].Number })
		if len(cs) == 0 {
			st := stack.StateNotCreated
			if inactive {
				st = stack.StateProfile
			}
			rows = append(rows, row{key: "service:" + name, service: name, state: st, svc: svc})
			return
		}
		for _, c := range cs {
			s, ok := stats[c.ID]
			rows = append(rows, row{key: c.ID, service: name, number: c.Number, scaled: len(cs) > 1,
				state: c.State, c: c, svc: svc, stats: s, has: ok && c.Running()})
		}
	}
	if p != nil {
		for i := range p.Services {
			add(&p.Services[i], p.Services[i].Name, false)
		}
		for i := range p.Inactive {
			add(&p.Inactive[i], p.Inactive[i].Name, true)
		}
	}
	var rest []string
	for name := range byService {
		if !seen[name] {
			rest = append(rest, name)
		}
	}
	sort.Strings(rest)
	for _, name := range rest {
		add(nil, name, false)
	}
	return rows
}

// sortRows orders rows by a column, name and number breaking ties.
func sortRows(rows []row, col colID, desc bool) {
	less := sortKeys[col]
	sort.SliceStable(rows, func(i, j int) bool {
		a, b := rows[i], rows[j]
		if a.oneOff || b.oneOff {
			return oneOffLess(a, b)
		}
		if less != nil {
			if less(a, b) {
				return !desc
			}
			if less(b, a) {
				return desc
			}
		}
		if a.service != b.service {
			return a.service < b.service
		}
		return a.number < b.number
	})
}

var stateOrder = map[stack.State]int{
	stack.StateDead: 0, stack.StateExited: 1, stack.StateRestarting: 2, stack.StateRemoving: 3,
	stack.StatePaused: 4, stack.StateCreated: 5, stack.StateRunning: 6, stack.StateNotCreated: 7, stack.StateProfile: 8,
}

// sortKeys compare two rows on a column; nil means by name only.
var sortKeys = map[colID]func(a, b row) bool{
	// Services switched off by a profile go last.
	colName:     func(a, b row) bool { return a.state != stack.StateProfile && b.state == stack.StateProfile },
	colState:    func(a, b row) bool { return stateOrder[a.state] < stateOrder[b.state] },
	colUptime:   func(a, b row) bool { return a.c.StartedAt.After(b.c.StartedAt) },
	colRestarts: func(a, b row) bool { return a.restarts() < b.restarts() },
	colCPU:      func(a, b row) bool { return a.stats.CPUPercent < b.stats.CPUPercent },
	colCPUHist:  func(a, b row) bool { return a.stats.CPUPercent < b.stats.CPUPercent },
	colMem:      func(a, b row) bool { return a.stats.MemoryUsage < b.stats.MemoryUsage },
	colMemHist:  func(a, b row) bool { return a.stats.MemoryUsage < b.stats.MemoryUsage },
	colNet: func(a, b row) bool {
		return a.stats.NetRxPerSec+a.stats.NetTxPerSec < b.stats.NetRxPerSec+b.stats.NetTxPerSec
	},
	colBlock: func(a, b row) bool {
		return a.stats.BlockReadPerSec+a.stats.BlockWritePerSec < b.stats.BlockReadPerSec+b.stats.BlockWritePerSec
	},
	colPorts: func(a, b row) bool { return portsText(a) < portsText(b) },
	colImage: func(a, b row) bool { return imageName(a) < imageName(b) },
}

// matchRow reports whether a row matches the table filter (a
// case-insensitive substring of its name, state or image).
func matchRow(r row, filter string) bool {
	if filter == "" {
		return true
	}
	f := strings.ToLower(filter)
	for _, s := range []string{r.service, string(r.state), string(r.c.Health), imageName(r), r.c.Name} {
		if strings.Contains(strings.ToLower(s), f) {
			return true
		}
	}
	return false
}
