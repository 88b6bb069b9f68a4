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
	// images caches image sizes by reference (-1 while asked).
	images map[string]int64

	streaming bool
	eventsCh  <-chan []stack.Event
	statsCh   <-chan []stack.Stats
	logsCh    <-chan []stack.LogLine
	lastLog   time.Time

	table   servicesModel
	logs    logView
	inspect inspectPane
	picker  stagePicker
	build   buildPane
	help    helpView
	confirm confirmDialog
	input   lineInput

	// devWatch is develop.watch when switched on (devwatch.go).
	devWatch devWatchState

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
		images:     map[string]int64{},
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
// Without a project name the compose file is loaded first: the streams
// start once it says the name.
func (m *Model) Init() tea.Cmd {
	cmds := []tea.Cmd{tick(), m.startStreams()}
	if m.project == nil {
		cmds = append(cmds, reload(m.ctx, m.b))
	}
	if w, ok := m.b.(ProjectWatcher); ok {
		cmds = append(cmds, readProject(w.WatchProject(m.ctx)))
	}
	if m.opts.Theme == ThemeAuto {
		cmds = append(cmds, tea.RequestBackgroundColor)
	}
	if m.opts.Watch && needWatch(m) == "" {
		cmds = append(cmds, m.toggleWatch())
	}
	return tea.Batch(cmds...)
}

// startStreams subscribes to the engine's streams, once, when the
// project's name is known.
func (m *Model) startStreams() tea.Cmd {
	if m.streaming || m.name == "" {
		return nil
	}
	m.streaming = true
	return tea.Batch(
		subscribeEvents(m.ctx, m.b, m.name),
		subscribeStats(m.ctx, m.b, m.name, m.opts.StatsInterval),
		subscribeLogs(m.ctx, m.b, m.name, LogsRequest{Tail: m.opts.LogTail}),
	)
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
		if rows[i].c.ImageSize == 0 && m.images[rows[i].c.Image] > 0 {
			rows[i].c.ImageSize = m.images[rows[i].c.Image]
		}
	}
	m.table.setRows(rows)
	if m.bottom == bottomInspect {
		if r, ok := m.table.selected(); ok {
			m.inspect.show(r, m.now(), m.hist)
		}
	}
}

// askImageSizes asks once for the size of each image whose containers do
// not carry it.
func (m *Model) askImageSizes() tea.Cmd {
	var cmds []tea.Cmd
	for _, c := range m.containers {
		if _, asked := m.images[c.Image]; c.ImageSize == 0 && c.Image != "" && !asked {
			m.images[c.Image] = -1
			cmds = append(cmds, imageSize(m.ctx, m.b, c.Image))
		}
	}
	return tea.Batch(cmds...)
}

// selectedRow is the table's selected row.
func (m *Model) selectedRow() (row, bool) { return m.table.selected() }
