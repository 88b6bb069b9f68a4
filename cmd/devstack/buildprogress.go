package main

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"strings"
	"sync"

	"github.com/charmbracelet/x/term"

	"github.com/devstack/devstack/stack"
)

// buildProgressModes are the values of build --progress, as compose has them.
var buildProgressModes = []string{"auto", "plain", "quiet", "json"}

// newBuildProgress returns the progress function for a build in the given
// mode: plain prints every line BuildKit reports; auto does so too unless
// w is a terminal, where it prints one line per finished step; quiet prints
// nothing; json prints each report as a JSON object.
func newBuildProgress(g *globals, w io.Writer, mode string) (stack.ProgressFunc, error) {
	switch mode {
	case "plain":
		return newProgressPrinter(g, w).report, nil
	case "auto":
		if f, ok := w.(*os.File); ok && term.IsTerminal(f.Fd()) {
			return (&stepPrinter{pp: newProgressPrinter(g, w)}).report, nil
		}
		return newProgressPrinter(g, w).report, nil
	case "quiet":
		return func(stack.Progress) {}, nil
	case "json":
		var mu sync.Mutex
		enc := json.NewEncoder(w)
		return func(p stack.Progress) {
			mu.Lock()
			defer mu.Unlock()
			enc.Encode(progressJSON(p))
		}, nil
	}
	return nil, fmt.Errorf("build --progress %q: want one of %s", mode, strings.Join(buildProgressModes, ", "))
}

// progressRecord is one progress report in --progress json.
type progressRecord struct {
	Kind    string `json:"kind"`
	Service string `json:"service,omitempty"`
	Subject string `json:"subject,omitempty"`
	Text    string `json:"text,omitempty"`
	Step    int    `json:"step,omitempty"`
	Total   int    `json:"total,omitempty"`
	Cached  bool   `json:"cached,omitempty"`
	TookMS  int64  `json:"took_ms,omitempty"`
}

func progressJSON(p stack.Progress) progressRecord {
	return progressRecord{Kind: string(p.Kind), Service: p.Service, Subject: p.Subject, Text: p.Text,
		Step: p.Step, Total: p.Total, Cached: p.Cached, TookMS: p.Took.Milliseconds()}
}

// stepPrinter is the terminal view of a build: one line per step as it
// finishes ("[3/9] [builder 2/4] RUN go build  1.2s" or "… CACHED"),
// the steps' own output left out (a failure shows it in its error).
type stepPrinter struct {
	mu    sync.Mutex
	pp    *progressPrinter
	names map[string]string // "#5" → step name, per service
}

func (sp *stepPrinter) report(p stack.Progress) {
	if p.Kind != stack.ProgressOutput {
		sp.pp.report(p)
		return
	}
	if p.Step == 0 {
		return
	}
	sp.mu.Lock()
	defer sp.mu.Unlock()
	if sp.names == nil {
		sp.names = map[string]string{}
	}
	id, rest, _ := strings.Cut(p.Text, " ")
	key := p.Service + id
	switch {
	case strings.HasPrefix(rest, "["):
		sp.names[key] = rest
	case rest == "CACHED" || strings.HasPrefix(rest, "DONE") || strings.HasPrefix(rest, "ERROR"):
		status := "CACHED"
		if rest != "CACHED" {
			status = fmt.Sprintf("%.1fs", p.Took.Seconds())
		}
		if strings.HasPrefix(rest, "ERROR") {
			status = "failed"
		}
		sp.pp.report(stack.Progress{Kind: stack.ProgressOutput, Service: p.Service,
			Text: fmt.Sprintf("[%d/%d] %s  %s", p.Step, p.Total, sp.names[key], status)})
	}
}
