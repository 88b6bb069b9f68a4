package stack

import "time"

// This file holds how long operations report their steps, and the build
// stages they choose from.

// BuildStage is one FROM stage of a Dockerfile.
type BuildStage struct {
	Index int
	Name  string
	Base  string
	Line  int
	// Needs are the other stages a BuildKit build of this one runs (FROM,
	// COPY --from, RUN --mount from=, followed through), named as
	// StageNeeds names them; Stages fills it in.
	Needs []string
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
	// ProgressPulling and ProgressPushing carry byte counts in Progress.Pull;
	// ProgressPulled, ProgressPushed and ProgressSkipped end an image.
	ProgressPulling ProgressKind = "pulling"
	ProgressPulled  ProgressKind = "pulled"
	ProgressPushing ProgressKind = "pushing"
	ProgressPushed  ProgressKind = "pushed"
	ProgressSkipped ProgressKind = "skipped"
)

// Progress is one step of a long operation (up, down, build), reported as
// it happens. Subject is what the step is about: a container, network,
// volume or image name.
type Progress struct {
	Kind    ProgressKind
	Service string
	Subject string
	Text    string
	// Pull is set on pull and push steps: the image's bytes so far and the
	// layer the step is about.
	Pull *PullStatus
	// Step and Total number a build step among the steps the build runs,
	// as BuildKit reports them; 0 on lines that are not about a step.
	Step, Total int
	// Cached marks a build step taken from the build cache.
	Cached bool
	// Took is how long a finished build step ran.
	Took time.Duration
}

// outputProgress is one line of a builder's output, with the step it
// announces parsed (the classic builder's "Step 3/7").
func outputProgress(service, line string) Progress {
	p := Progress{Kind: ProgressOutput, Service: service, Text: line}
	p.Step, p.Total, _ = parseBuildStep(line)
	return p
}

// ProgressFunc receives progress; it is called from the operation's
// goroutines and must not block for long. A nil ProgressFunc drops it.
type ProgressFunc func(Progress)

func (f ProgressFunc) report(p Progress) {
	if f != nil {
		f(p)
	}
}
