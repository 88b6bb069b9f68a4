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

// model is the root of the screen: it holds the state kept from the
// engine's streams and routes messages to the child models.
type model struct {
	b      Backend
	opts   Options
	ctx    context.Context
	cancel context.CancelFunc
	keys   keyMap
	st     styles

	width, height int
	// at is the time of the message being handled: read once per Update,
	// so View draws without reading a clock.
	at         time.Time
	project    *stack.Project
	name       string
	reloadErr  error
	engineDown bool
	containers map[string]stack.Container
	// removed are containers the engine said it destroyed: an inspect
	// answer that arrives after the destroy event must not bring one back.
	removed map[string]bool
	stats   map[string]stack.Stats
	hist    *history
	// restarts counts the restarts the screen saw that the engine's
	// RestartCount leaves out (a restart by hand), by container ID.
	restarts map[string]observedStart
	// stopped are the services the user stopped here: their exit is not a
	// failure.
	stopped map[string]bool
	// images caches image sizes by reference (-1 while asked).
	images map[string]int64

	streaming bool
	// following is set once stats and logs are subscribed (after the
	// first list of containers).
	following bool
	// inspected is set once Ps has answered: a plain list (List) arriving
	// later must not replace what it found.
	inspected bool
	eventsCh  <-chan []stack.Event
	statsCh   <-chan []stack.Stats
	logsCh    <-chan []stack.LogLine
	// logsParked is set while the logs stream waits for the next frame
	// after a small batch (logPaceBelow).
	logsParked bool
	lastLog    time.Time
	// statsAt is when the last stats sample arrived: while samples come
	// every second, they redraw ages and the tick draws nothing.
	statsAt time.Time

	// frame is the screen View drew last; it stays valid until an Update
	// changes something (frameOK), so a message that changes nothing
	// costs no drawing.
	frame   string
	frameOK bool

	table   servicesModel
	logs    logView
	inspect inspectPane
	picker  stagePicker
	build   buildPane
	help    helpView
	confirm confirmDialog
	disk    diskState
	input   lineInput

	// devWatch is develop.watch when switched on (devwatch.go).
	devWatch devWatchState

	focus    focus
	bottom   bottomMode
	showHelp bool
	busy     map[string]string
	pulls    map[string]pullState
	status   string
	statusOK bool
	statusAt time.Time
}

// statusTTL is how long a status message stays; keys do not clear it, so
// "shell exited with code 3" is still there after the first key.
const statusTTL = 8 * time.Second

// newModel builds the screen's model without starting anything; Init
// starts the streams, under a context derived from ctx. Tests drive it
// with Update and View directly.
func newModel(ctx context.Context, b Backend, opts Options) *model {
	opts = opts.withDefaults()
	ctx, cancel := context.WithCancel(ctx)
	m := &model{
		b: b, opts: opts, ctx: ctx, cancel: cancel,
		project:    opts.Project,
		name:       opts.ProjectName,
		containers: map[string]stack.Container{},
		stats:      map[string]stack.Stats{},
		hist:       newHistory(),
		restarts:   map[string]observedStart{},
		stopped:    map[string]bool{},
		at:         opts.Now(),
		images:     map[string]int64{},
		logs:       newLogView(opts.LogBuffer),
		busy:       map[string]string{},
		pulls:      map[string]pullState{},
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
func (m *model) Init() tea.Cmd {
	cmds := []tea.Cmd{tick(), m.startStreams(), m.diskFirstTick()}
	if m.project == nil {
		cmds = append(cmds, reload(m.ctx, m.b))
	}
	if w, ok := m.b.(ProjectWatcher); ok {
		cmds = append(cmds, readProject(w.WatchProject(m.ctx)))
	}
	if w, ok := m.b.(PullWatcher); ok {
		cmds = append(cmds, readPulls(w.Pulls(m.ctx)))
	}
	if m.opts.Theme == ThemeAuto {
		cmds = append(cmds, tea.RequestBackgroundColor)
	}
	if m.opts.Watch && needWatch(m) == "" {
		cmds = append(cmds, m.toggleWatch())
	}
	return tea.Batch(cmds...)
}

// startStreams subscribes to the engine's events, once, when the
// project's name is known; the containers are listed next.
func (m *model) startStreams() tea.Cmd {
	if m.streaming || m.name == "" {
		return nil
	}
	m.streaming = true
	return subscribeEvents(m.ctx, m.b)
}

// startFollowers subscribes to stats and logs once the first list of
// containers is in: the first screen with live state does not wait behind
// a log follower and a stats reader per container, all asking the engine
// at the same time.
func (m *model) startFollowers() tea.Cmd {
	if m.following {
		return nil
	}
	m.following = true
	return tea.Batch(
		subscribeStats(m.ctx, m.b, m.opts.StatsInterval),
		subscribeLogs(m.ctx, m.b, stack.LogsOptions{Tail: m.opts.LogTail}),
	)
}

// now is the time of the message being handled (see at).
func (m *model) now() time.Time { return m.at }

func (m *model) setStatus(s string, ok bool) {
	m.status, m.statusOK, m.statusAt = s, ok, m.at
}

// refreshRows rebuilds the table's rows from the state kept so far.
func (m *model) refreshRows() {
	m.observeRestarts()
	rows := buildRows(m.project, m.containers, m.stats)
	memTop := m.hist.memTop()
	for i := range rows {
		rows[i].busy = m.busy[rows[i].subject()]
		rows[i].memTop = memTop
		if !rows[i].oneOff {
			rows[i].manualRestarts = m.restarts[rows[i].key].manual
			rows[i].userStopped = m.stopped[rows[i].service]
			rows[i].pull = m.pulls[rows[i].service]
		}
		if rows[i].c.ImageSize == 0 && m.images[rows[i].c.Image] > 0 {
			rows[i].c.ImageSize = m.images[rows[i].c.Image]
		}
	}
	m.table.setRows(rows)
	m.syncSelection()
}

// askImageSizes asks once for the size of each image whose containers do
// not carry it.
func (m *model) askImageSizes() tea.Cmd {
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
func (m *model) selectedRow() (row, bool) { return m.table.selected() }
