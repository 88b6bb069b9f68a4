package stack

import (
	"errors"
	"strings"
	"testing"
	"time"

	bkclient "github.com/moby/buildkit/client"
	digest "github.com/opencontainers/go-digest"
)

// TestBuildTrackerSteps feeds the tracker a status stream as a newer
// BuildKit sends it: steps numbered among the steps the build runs, cached
// ones marked, times kept, a failing step's output and line in its error.
func TestBuildTrackerSteps(t *testing.T) {
	var log progressLog
	req := buildRequest{service: "api", dockerfile: dockerfileSource{name: "Dockerfile",
		content: []byte("FROM local/busybox AS base\nRUN echo base\nFROM base AS build\nRUN go build ./...\n")}}
	tr := newBuildTracker(req, log.report)
	t0 := time.Date(2026, 11, 29, 12, 0, 0, 0, time.UTC)
	at := func(s int) *time.Time { v := t0.Add(time.Duration(s) * time.Second); return &v }
	d := func(s string) digest.Digest { return digest.FromString(s) }
	tr.update(&bkclient.SolveStatus{Vertexes: []*bkclient.Vertex{
		{Digest: d("meta"), Name: "[internal] load metadata for docker.io/local/busybox:latest", Started: at(0), Completed: at(0)},
		{Digest: d("from"), Name: "[base 1/2] FROM docker.io/local/busybox"},
		{Digest: d("base"), Name: "[base 2/2] RUN echo base"},
		{Digest: d("build"), Name: "[build 1/1] RUN go build ./..."},
	}})
	tr.update(&bkclient.SolveStatus{Vertexes: []*bkclient.Vertex{
		{Digest: d("from"), Name: "[base 1/2] FROM docker.io/local/busybox", Started: at(0), Completed: at(0), Cached: true},
		{Digest: d("base"), Name: "[base 2/2] RUN echo base", Started: at(0), Completed: at(2)},
		{Digest: d("build"), Name: "[build 1/1] RUN go build ./...", Started: at(2)},
	}, Logs: []*bkclient.VertexLog{{Vertex: d("build"), Data: []byte("./main.go:3: undefined: foo\nexit")}}})
	tr.update(&bkclient.SolveStatus{Vertexes: []*bkclient.Vertex{
		{Digest: d("build"), Name: "[build 1/1] RUN go build ./...", Started: at(2), Completed: at(5),
			Error: `process "/bin/sh -c go build ./..." did not complete successfully: exit code: 1`},
	}})
	tr.finish()

	var steps []string
	log.mu.Lock()
	for _, p := range log.items {
		if p.Step > 0 {
			steps = append(steps, stepString(p))
		}
	}
	log.mu.Unlock()
	want := []string{
		"1/3 #2 [base 1/2] FROM docker.io/local/busybox", "1/3 cached #2 CACHED",
		"2/3 #3 [base 2/2] RUN echo base", "2/3 2s #3 DONE 2.0s",
		"3/3 #4 [build 1/1] RUN go build ./...", "3/3 3s #4 ERROR: " + `process "/bin/sh -c go build ./..." did not complete successfully: exit code: 1`,
	}
	if strings.Join(steps, "\n") != strings.Join(want, "\n") {
		t.Errorf("steps:\n%s\nwant\n%s", strings.Join(steps, "\n"), strings.Join(want, "\n"))
	}
	err := tr.explain(errors.New("rpc error: code = Unknown desc = failed to solve: process failed"), req.dockerfile)
	wantErr := "Dockerfile:4: RUN go build ./...: exit code: 1\n  output:\n    ./main.go:3: undefined: foo\n    exit"
	if err.Error() != wantErr {
		t.Errorf("error:\n%s\nwant\n%s", err, wantErr)
	}
}

// stepString shows a step report's fields and text.
func stepString(p Progress) string {
	s := itoa(p.Step) + "/" + itoa(p.Total)
	if p.Cached {
		s += " cached"
	}
	if p.Took > 0 {
		s += " " + p.Took.String()
	}
	return s + " " + p.Text
}
