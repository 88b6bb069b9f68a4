package stack

// This file holds how long operations report their steps, and the build
// stages they choose from.

// BuildStage is one FROM stage of a Dockerfile.
type BuildStage struct {
	Index int
	Name  string
	Base  string
	Line  int
}

// ProgressKind classifies a step of a long operation.
type ProgressKind string

// Progress kinds, in roughly the order an up reports them.
const (
	ProgressBuilding   ProgressKind = "building"
	ProgressBuilt      ProgressKind = "built"
	ProgressCreating   ProgressKind = "creating"
	ProgressCreated    ProgressKind = "created"
	ProgressRecreating ProgressKind = "recreating"
	ProgressRecreated  ProgressKind = "recreated"
	ProgressUpToDate   ProgressKind = "up-to-date"
	ProgressStarting   ProgressKind = "starting"
	ProgressStarted    ProgressKind = "started"
	ProgressWaiting    ProgressKind = "waiting"
	ProgressHealthy    ProgressKind = "healthy"
	ProgressExited     ProgressKind = "exited"
	ProgressStopping   ProgressKind = "stopping"
	ProgressStopped    ProgressKind = "stopped"
	ProgressRemoving   ProgressKind = "removing"
	ProgressRemoved    ProgressKind = "removed"
	ProgressKilled     ProgressKind = "killed"
	ProgressPaused     ProgressKind = "paused"
	ProgressUnpaused   ProgressKind = "unpaused"
	ProgressCopied     ProgressKind = "copied"
	ProgressWarning    ProgressKind = "warning"
	ProgressError      ProgressKind = "error"
	ProgressOutput     ProgressKind = "output"
)

// Progress is one step of a long operation (up, down, build), reported as
// it happens. Subject is what the step is about: a container, network,
// volume or image name.
type Progress struct {
	Kind    ProgressKind
	Service string
	Subject string
	Text    string
}

// ProgressFunc receives progress; it is called from the operation's
// goroutines and must not block for long. A nil ProgressFunc drops it.
type ProgressFunc func(Progress)

func (f ProgressFunc) report(p Progress) {
	if f != nil {
		f(p)
	}
}
