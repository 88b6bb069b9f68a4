package tui

import (
	"time"

	"github.com/devstack/devstack/stack"
)

// Every message the screen handles. Stream messages carry the channel they
// came from, so a batch from a stream that was replaced is dropped.

// projectMsg is the result of Backend.Reload.
type projectMsg struct {
	p   *stack.Project
	err error
}

// projectWatchMsg is one reload from a ProjectWatcher.
type projectWatchMsg struct {
	ch     <-chan stack.ProjectReload
	reload stack.ProjectReload
}

// eventsSubscribedMsg says the events stream is open; listing follows it.
type eventsSubscribedMsg struct{ ch <-chan []stack.Event }

// eventsMsg is one batch from the events stream.
type eventsMsg struct {
	ch    <-chan []stack.Event
	batch []stack.Event
}

// streamClosedMsg says a stream ended; the screen re-subscribes later.
type streamClosedMsg struct {
	stream streamKind
	err    error
}

// resubscribeMsg asks to open a stream again after a pause.
type resubscribeMsg struct{ stream streamKind }

// containersMsg is the result of Backend.Ps.
type containersMsg struct {
	list []stack.Container
	err  error
	// listed is set for Backend.List's answer: shown until the first
	// inspected list (Ps) is in, never after it.
	listed bool
}

// containerMsg is the result of a targeted Backend.Inspect.
type containerMsg struct {
	id  string
	c   stack.Container
	err error
}

// statsSubscribedMsg says the stats stream is open.
type statsSubscribedMsg struct{ ch <-chan []stack.Stats }

// statsMsg is one batch from the stats stream.
type statsMsg struct {
	ch    <-chan []stack.Stats
	batch []stack.Stats
}

// logsSubscribedMsg says the logs stream is open (or could not be).
type logsSubscribedMsg struct {
	ch  <-chan []stack.LogLine
	err error
}

// logsMsg is one batch from the logs stream.
type logsMsg struct {
	ch    <-chan []stack.LogLine
	batch []stack.LogLine
}

// actionDoneMsg reports a lifecycle action (restart, stop, start, recreate, down).
type actionDoneMsg struct {
	verb    string
	service string
	took    time.Duration
	err     error
}

// execDoneMsg reports the end of a shell session.
type execDoneMsg struct {
	service string
	code    int
	err     error
}

// stagesMsg carries a service's Dockerfile stages for the rebuild picker,
// and the target its compose entry sets.
type stagesMsg struct {
	service string
	stages  []stack.BuildStage
	target  string
	err     error
}

// rebuildStartedMsg says a rebuild runs; its progress is read from op.
type rebuildStartedMsg struct {
	op      *stack.Op
	service string
	target  string
	started time.Time
}

// buildProgressMsg is a batch of a rebuild's progress.
type buildProgressMsg struct {
	op    *stack.Op
	items []stack.Progress
}

// rebuildDoneMsg reports the end of a rebuild (build and recreate).
type rebuildDoneMsg struct {
	op      *stack.Op
	service string
	target  string
	took    time.Duration
	size    int64
	err     error
}

// downVolumesMsg names the volumes a down -v would delete, for the
// confirmation.
type downVolumesMsg struct {
	names []string
	err   error
}

// imageMsg carries an image's size for the table.
type imageMsg struct {
	ref  string
	size int64
	err  error
}

// savedMsg reports the log file written by save.
type savedMsg struct {
	path  string
	lines int
	err   error
}

// openedMsg reports handing a URL to the browser.
type openedMsg struct {
	url string
	err error
}

// tickMsg refreshes ages on screen once a second.
type tickMsg time.Time

// diskTickMsg asks for the header's disk figure again.
type diskTickMsg struct{}

// diskMsg carries the stack's disk figure.
type diskMsg struct {
	disk stack.StackDisk
	took time.Duration
	err  error
}

// cleanPlanMsg carries what clean would remove, for the confirmation.
type cleanPlanMsg struct {
	plan stack.CleanPlan
	err  error
}

// cleanDoneMsg reports a clean.
type cleanDoneMsg struct {
	res stack.CleanResult
	err error
}
