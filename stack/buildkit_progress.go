package stack

import (
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"time"

	bkclient "github.com/moby/buildkit/client"
	"github.com/moby/buildkit/solver/errdefs"
	digest "github.com/opencontainers/go-digest"

	"github.com/devstack/devstack/stack/internal/dockerfile"
)

// stepNameRe matches the vertex names the Dockerfile frontend gives its
// instructions: "[builder 2/4] RUN go build", "[2/3] COPY . .".
var stepNameRe = regexp.MustCompile(`^\[(?:[^\]\s]+ )?\d+/\d+\] `)

// buildTracker turns BuildKit's status stream (vertexes, their statuses and
// logs) into progress reports: one line when a step starts, is cached, is
// done or fails, with the step's number among the steps the build runs,
// and the output of each step. It keeps the last lines of every step's
// output so a failed build can show them.
type buildTracker struct {
	mu       sync.Mutex
	service  string
	progress ProgressFunc
	vertexes map[digest.Digest]*trackedVertex
	ids      int
	steps    int // step vertexes known so far (the total)
	started  int // step vertexes started so far
	failed   *trackedVertex
}

type trackedVertex struct {
	id        int
	name      string
	step      int
	isStep    bool
	started   time.Time
	cached    bool
	completed bool
	err       string
	partial   string
	tail      []string
}

// buildTailLines is how many lines of a step's output a failure shows.
const buildTailLines = 20

func newBuildTracker(req buildRequest, progress ProgressFunc) *buildTracker {
	return &buildTracker{service: req.service, progress: progress, vertexes: map[digest.Digest]*trackedVertex{}}
}

func (t *buildTracker) vertex(d digest.Digest) *trackedVertex {
	v := t.vertexes[d]
	if v == nil {
		t.ids++
		v = &trackedVertex{id: t.ids}
		t.vertexes[d] = v
	}
	return v
}

// update takes one status message from BuildKit.
func (t *buildTracker) update(st *bkclient.SolveStatus) {
	t.mu.Lock()
	defer t.mu.Unlock()
	for _, v := range st.Vertexes {
		tv := t.vertex(v.Digest)
		if tv.name == "" && v.Name != "" {
			tv.name = v.Name
			if stepNameRe.MatchString(v.Name) {
				tv.isStep = true
				t.steps++
			}
		}
	}
	for _, v := range st.Vertexes {
		t.vertexChanged(t.vertexes[v.Digest], v)
	}
	for _, l := range st.Logs {
		t.vertexLog(t.vertex(l.Vertex), l.Data)
	}
	for _, w := range st.Warnings {
		t.progress.report(Progress{Kind: ProgressWarning, Service: t.service, Text: strings.TrimSpace(string(w.Short))})
	}
}

func (t *buildTracker) vertexChanged(tv *trackedVertex, v *bkclient.Vertex) {
	if v.Started != nil && tv.started.IsZero() {
		tv.started = *v.Started
		if tv.isStep {
			t.started++
			tv.step = t.started
		}
		t.report(tv, fmt.Sprintf("#%d %s", tv.id, tv.name), 0)
	}
	if v.Cached && !tv.cached {
		tv.cached = true
		t.report(tv, fmt.Sprintf("#%d CACHED", tv.id), 0)
	}
	if v.Completed == nil || tv.completed {
		return
	}
	tv.completed = true
	t.flushLog(tv)
	took := time.Duration(0)
	if v.Started != nil {
		took = v.Completed.Sub(*v.Started)
	}
	switch {
	case v.Error != "":
		tv.err = v.Error
		if t.failed == nil && !strings.HasSuffix(v.Error, "context canceled") {
			t.failed = tv
		}
		t.report(tv, fmt.Sprintf("#%d ERROR: %s", tv.id, v.Error), took)
	case !tv.cached:
		t.report(tv, fmt.Sprintf("#%d DONE %.1fs", tv.id, took.Seconds()), took)
	}
}

// report sends one line about a vertex; step lines carry the step's
// number, the total and whether it came from the cache.
func (t *buildTracker) report(tv *trackedVertex, text string, took time.Duration) {
	p := Progress{Kind: ProgressOutput, Service: t.service, Text: text, Took: took}
	if tv.isStep {
		p.Step, p.Total, p.Cached = tv.step, t.steps, tv.cached
		if p.Step == 0 {
			p.Step = t.started
		}
	}
	t.progress.report(p)
}

func (t *buildTracker) vertexLog(tv *trackedVertex, data []byte) {
	text := tv.partial + string(data)
	for {
		i := strings.IndexByte(text, '\n')
		if i < 0 {
			break
		}
		t.logLine(tv, strings.TrimRight(text[:i], "\r"))
		text = text[i+1:]
	}
	tv.partial = text
}

func (t *buildTracker) flushLog(tv *trackedVertex) {
	if tv.partial != "" {
		t.logLine(tv, tv.partial)
		tv.partial = ""
	}
}

func (t *buildTracker) logLine(tv *trackedVertex, line string) {
	tv.tail = append(tv.tail, line)
	if len(tv.tail) > buildTailLines {
		tv.tail = tv.tail[len(tv.tail)-buildTailLines:]
	}
	t.progress.report(Progress{Kind: ProgressOutput, Service: t.service, Text: fmt.Sprintf("#%d %s", tv.id, line)})
}

// finish flushes output the stream left without a newline.
func (t *buildTracker) finish() {
	t.mu.Lock()
	defer t.mu.Unlock()
	for _, tv := range t.vertexes {
		t.flushLog(tv)
	}
}

// BuildError is a failed build step: where it is written, what it ran and
// the last lines of its output.
type BuildError struct {
	// File and Line locate the instruction (Line 0 when unknown).
	File string
	Line int
	// Step is the instruction as BuildKit names it ("[builder 2/4] RUN make").
	Step string
	// Reason is BuildKit's error ("process ... exit code: 3").
	Reason string
	// Output holds the last lines the step printed.
	Output []string
	err    error
}

func (e *BuildError) Error() string {
	var b strings.Builder
	if e.Line > 0 {
		fmt.Fprintf(&b, "%s:%d: ", e.File, e.Line)
	}
	if e.Step != "" {
		b.WriteString(stepNameRe.ReplaceAllString(e.Step, "") + ": ")
	}
	b.WriteString(e.Reason)
	if len(e.Output) > 0 {
		b.WriteString("\n  output:\n    " + strings.Join(e.Output, "\n    "))
	}
	return b.String()
}

func (e *BuildError) Unwrap() error { return e.err }

// explain turns a failed solve into a BuildError naming the Dockerfile
// line (from the source map BuildKit attaches to the error), the step and
// its output.
func (t *buildTracker) explain(err error, df dockerfileSource) error {
	t.mu.Lock()
	defer t.mu.Unlock()
	be := &BuildError{File: df.name, Reason: solveErrorText(err), err: err}
	for _, src := range errdefs.Sources(err) {
		if len(src.Ranges) > 0 {
			be.Line = int(src.Ranges[0].Start.Line)
			break
		}
	}
	if m := frontendParseErrRe.FindStringSubmatch(be.Reason); m != nil {
		// The frontend rejected the Dockerfile before any step ran.
		be.Line, _ = strconv.Atoi(m[1])
		be.Reason = m[2] + ": the engine's Dockerfile frontend does not understand it"
	}
	if f := t.failed; f != nil {
		be.Step, be.Output = f.name, f.tail
		// The step names the command already; keep BuildKit's verdict.
		be.Reason = runFailedRe.ReplaceAllString(f.err, "$1")
		if be.Line == 0 {
			be.Line = dockerfile.StepLine(df.content, f.name)
		}
	}
	return be
}

// runFailedRe matches BuildKit's failed RUN ("executor failed running
// [...]: exit code: 2" before v0.10, `process "..." did not complete
// successfully: exit code: 2` since).
var runFailedRe = regexp.MustCompile(`^(?:executor failed running \[.*\]|process ".*" did not complete successfully): (exit code: \d+)$`)

// frontendParseErrRe is the Dockerfile frontend's syntax error.
var frontendParseErrRe = regexp.MustCompile(`dockerfile parse error (?:on )?line (\d+): (.*)$`)

// solveErrorText strips gRPC's wrapping from BuildKit's error text.
func solveErrorText(err error) string {
	msg := err.Error()
	for _, prefix := range []string{"rpc error: code = Unknown desc = ", "failed to solve: "} {
		if i := strings.LastIndex(msg, prefix); i >= 0 {
			msg = msg[i+len(prefix):]
		}
	}
	var be *BuildError
	if errors.As(err, &be) {
		return be.Reason
	}
	return msg
}
