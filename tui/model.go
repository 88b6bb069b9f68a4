package tui

import (
	"context"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/devstack/devstack/stack"
)

// focus is the pane keys go to.
type focus int

const (
	focusTable focus = iota
	focusBottom
)

// bottomMode is what the lower pane shows.
type bottomMode int

const (
	bottomLogs bottomMode = iota
	bottomInspect
	bottomBuild
	bottomPicker
)

// streamKind names the engine streams the screen follows.
type streamKind int

const (
	streamEvents streamKind = iota
	streamStats
	streamLogs
)

func (s streamKind) String() string {
	return [...]string{"events", "stats", "logs"}[s]
}

// Model is the root of the screen: it holds the state kept from the
// engine's streams and routes messages to the child models.
type Model struct {
	b      Backend
	opts   Options
	ctx    context.Context
	cancel context.CancelFunc
	keys   keyMap
	st     styles

	width, height int
	project       *stack.Project
	name          string
	reloadErr     error
	engineDown    bool
	containers    map[string]stack.Container
	stats         map[string]stack.Stats
	hist          *history

	eventsCh <-chan []stack.Event
	statsCh  <-chan []stack.Stats
	logsCh   <-chan []stack.LogLine
	lastLog  time.Time

	table   servicesModel
	logs    logView
	inspect inspectPane
	picker  stagePicker
	build   buildPane
	help    helpView
	confirm confirmDialog
	input   lineInput

	focus    focus
	bottom   bottomMode
	showHelp bool
	busy     map[string]string
	status   string
	statusOK bool
	statusAt time.Time
}

// statusTTL is how long a status message stays; keys do not clear it, so
// "shell exited with code 3" is still there after the first key.
const statusTTL = 8 * time.Second

// NewModel builds the screen's model without starting anything; Init
// starts the streams. Tests drive it with Update and View directly.
func NewModel(b Backend, opts Options) *Model {
	return newModel(context.Background(), b, opts)
}

func newModel(ctx context.Context, b Backend, opts Options) *Model {
	opts = opts.withDefaults()
	ctx, cancel := context.WithCancel(ctx)
	m := &Model{
		b: b, opts: opts, ctx: ctx, cancel: cancel,
		project:    opts.Project,
		name:       opts.ProjectName,
		containers: map[string]stack.Container{},
		stats:      map[string]stack.Stats{},
		hist:       newHistory(),
		logs:       newLogView(opts.LogBuffer),
		busy:       map[string]string{},
		width:      80, height: 24,
	}
	if m.name == "" && m.project != nil {
		m.name = m.project.Name
	}
	km, err := newKeyMap(opts.Keys)
	if err != nil {
		m.setStatus(err.Error(), false)
	}
	m.keys = km
	m.st = newStyles(opts.Theme != ThemeLight, opts.NoColor)
	m.refreshRows()
	m.layout()
	return m
}

// Init opens the events stream first (so nothing that happens while the
// containers are listed is missed), then stats and logs.
func (m *Model) Init() tea.Cmd {
	cmds := []tea.Cmd{
		subscribeEvents(m.ctx, m.b, m.name),
		subscribeStats(m.ctx, m.b, m.name, m.opts.StatsInterval),
		subscribeLogs(m.ctx, m.b, m.name, LogsRequest{Tail: m.opts.LogTail}),
		tick(),
	}
	if m.project == nil {
		cmds = append(cmds, reload(m.ctx, m.b))
	}
	if w, ok := m.b.(ProjectWatcher); ok {
		cmds = append(cmds, readProject(w.WatchProject(m.ctx)))
	}
	if m.opts.Theme == ThemeAuto {
		cmds = append(cmds, tea.RequestBackgroundColor)
	}
	return tea.Batch(cmds...)
}

func (m *Model) now() time.Time { return m.opts.Now() }

func (m *Model) setStatus(s string, ok bool) {
	m.status, m.statusOK, m.statusAt = s, ok, m.opts.Now()
}

// refreshRows rebuilds the table's rows from the state kept so far.
func (m *Model) refreshRows() {
	rows := buildRows(m.project, m.containers, m.stats)
	for i := range rows {
		rows[i].busy = m.busy[rows[i].service]
	}
	m.table.setRows(rows)
	if m.bottom == bottomInspect {
		if r, ok := m.table.selected(); ok {
			m.inspect.show(r, m.now(), m.hist)
		}
	}
}

// selectedRow is the table's selected row.
func (m *Model) selectedRow() (row, bool) { return m.table.selected() }
