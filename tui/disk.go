package tui

import (
	"context"
	"fmt"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/devstack/devstack/stack"
)

// DiskCleaner is an optional Backend capability, checked at run time like
// ProjectWatcher: the disk the stack uses, what clean would free, and
// clean itself. The screen never removes named volumes; that takes
// `devstack clean --volumes`.
type DiskCleaner interface {
	// StackDisk measures the project's disk and its reclaimable leftovers.
	StackDisk(ctx context.Context, project string, p *stack.Project) (stack.StackDisk, error)
	// PlanClean lists what the project left behind (p nil: labels alone).
	PlanClean(ctx context.Context, project string, p *stack.Project) (stack.CleanPlan, error)
	// ApplyClean removes the plan's items except named volumes.
	ApplyClean(ctx context.Context, plan stack.CleanPlan) (stack.CleanResult, error)
}

// diskRefresh is how often the header's disk figure is measured: one
// measurement makes the engine size every image, writable layer and volume
// it has (Engine 20.10 cannot narrow /system/df to a project), so it runs
// once a minute and after a rebuild, down or clean, never per frame. When a
// measurement takes long (a big or busy engine), the next waits 60 times
// as long, which keeps the engine's time on it under 2%.
const diskRefresh = time.Minute

// nextDiskMeasure is the wait before the next measurement after one that
// took took.
func nextDiskMeasure(took time.Duration) time.Duration {
	return max(diskRefresh, 60*took)
}

// diskState is the header's disk figure.
type diskState struct {
	known  bool
	asking bool
	// ticking is set while a timer for the next measurement runs.
	ticking bool
	disk    stack.StackDisk
	// plan is the clean the confirmation dialog offers.
	plan stack.CleanPlan
}

// diskFirstTick starts the measuring timer when the backend can measure.
func (m *model) diskFirstTick() tea.Cmd {
	if _, ok := m.b.(DiskCleaner); !ok {
		return nil
	}
	return m.diskTimer(time.Second)
}

func (m *model) diskTimer(d time.Duration) tea.Cmd {
	if m.disk.ticking {
		return nil
	}
	m.disk.ticking = true
	return tea.Tick(d, func(time.Time) tea.Msg { return diskTickMsg{} })
}

// measureDisk asks for the figure unless a measurement is under way.
func (m *model) measureDisk() tea.Cmd {
	dc, ok := m.b.(DiskCleaner)
	if !ok || m.disk.asking || m.name == "" {
		return nil
	}
	m.disk.asking = true
	ctx, name, p := m.ctx, m.name, m.project
	return func() tea.Msg {
		start := time.Now() // the wall clock, not the screen's injected one
		d, err := dc.StackDisk(ctx, name, p)
		return diskMsg{disk: d, took: time.Since(start), err: err}
	}
}

// onDisk handles the disk and clean messages.
func (m *model) onDisk(msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case diskTickMsg:
		m.disk.ticking = false
		if m.name == "" || m.disk.asking {
			return m.diskTimer(time.Second)
		}
		return m.measureDisk()
	case diskMsg:
		m.disk.asking = false
		if msg.err == nil {
			m.disk.known, m.disk.disk = true, msg.disk
		}
		return m.diskTimer(nextDiskMeasure(msg.took))
	case cleanPlanMsg:
		return m.onCleanPlan(msg)
	case cleanDoneMsg:
		if msg.err != nil {
			m.setStatus("clean: "+msg.err.Error(), false)
		} else {
			m.setStatus(fmt.Sprintf("clean: removed %d items, reclaimed %s", len(msg.res.Removed), humanBytes(msg.res.Reclaimed)), true)
		}
		return m.measureDisk()
	}
	return nil
}

// startClean asks the backend what clean would remove.
func (m *model) startClean() tea.Cmd {
	dc, ok := m.b.(DiskCleaner)
	if !ok {
		return nil
	}
	m.setStatus("looking for what "+m.name+" left behind…", true)
	ctx, name, p := m.ctx, m.name, m.project
	return func() tea.Msg {
		plan, err := dc.PlanClean(ctx, name, p)
		return cleanPlanMsg{plan: plan, err: err}
	}
}

func (m *model) onCleanPlan(msg cleanPlanMsg) tea.Cmd {
	if msg.err != nil {
		m.setStatus("clean: "+msg.err.Error(), false)
		return nil
	}
	m.disk.plan = msg.plan
	lines := cleanSummary(msg.plan)
	if len(lines) == 0 {
		m.setStatus("clean: nothing left behind (named volumes go only with devstack clean --volumes)", true)
		return nil
	}
	m.status = ""
	m.confirm.openClean(m.name, lines)
	return nil
}

// applyClean removes the confirmed plan.
func (m *model) applyClean() tea.Cmd {
	dc, ok := m.b.(DiskCleaner)
	if !ok {
		return nil
	}
	m.setStatus("cleaning up after "+m.name+"…", true)
	ctx, plan := m.ctx, m.disk.plan
	return func() tea.Msg {
		res, err := dc.ApplyClean(ctx, plan)
		return cleanDoneMsg{res: res, err: err}
	}
}

// cleanSummary counts the plan's removable items by kind, with sizes.
func cleanSummary(plan stack.CleanPlan) []string {
	count, size := map[stack.LeftoverKind]int{}, map[stack.LeftoverKind]int64{}
	var order []stack.LeftoverKind
	for _, it := range plan.Items {
		if it.Kind == stack.LeftoverNamedVolume {
			continue
		}
		if count[it.Kind] == 0 {
			order = append(order, it.Kind)
		}
		count[it.Kind]++
		size[it.Kind] += max(it.Size, 0)
	}
	var lines []string
	for _, k := range order {
		lines = append(lines, fmt.Sprintf("  %d × %s  %s", count[k], k, humanBytes(size[k])))
	}
	return lines
}

// diskHeader is the header's disk figure ("" until measured).
func (m *model) diskHeader() string {
	if !m.disk.known {
		return ""
	}
	s := "  disk " + humanBytes(m.disk.disk.Used)
	if m.disk.disk.Reclaimable > 0 {
		s += " · clean frees " + humanBytes(m.disk.disk.Reclaimable)
	}
	return s
}

func needCleaner(m *model) string {
	if _, ok := m.b.(DiskCleaner); !ok {
		return "not available"
	}
	return needEngine(m)
}
