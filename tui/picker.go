package tui

import (
	"fmt"
	"strings"

	"github.com/devstack/devstack/stack"
)

// stagePicker lists a service's Dockerfile stages for a rebuild, with the
// configured target (or the last stage) preselected.
type stagePicker struct {
	service       string
	stages        []stack.BuildStage
	configured    string
	cursor        int
	width, height int
}

func (p *stagePicker) setSize(w, h int) { p.width, p.height = w, h }

// open fills the picker; the cursor starts on the configured target.
func (p *stagePicker) open(service string, stages []stack.BuildStage, configured string) {
	p.service, p.stages, p.configured = service, stages, configured
	p.cursor = max(len(stages)-1, 0)
	for i, s := range stages {
		if configured != "" && s.Name == configured {
			p.cursor = i
		}
	}
}

func (p *stagePicker) move(n int) {
	p.cursor = max(0, min(p.cursor+n, len(p.stages)-1))
}

// target is the build target of the chosen stage: its name, or "" for an
// unnamed last stage (a plain build).
func (p *stagePicker) target() string {
	if p.cursor < 0 || p.cursor >= len(p.stages) {
		return ""
	}
	s := p.stages[p.cursor]
	if s.Name == "" && p.cursor == len(p.stages)-1 {
		return ""
	}
	if s.Name == "" {
		return fmt.Sprint(s.Index)
	}
	return s.Name
}

// view lists the stages in columns as wide as their content, so nothing
// that fits the pane is cut; the hint wraps.
func (p *stagePicker) view(st styles, hint string) string {
	lines := []string{st.title.Render(fitTrim("Rebuild "+p.service+" from stage:", p.width))}
	nameW, baseW := 0, 0
	for _, s := range p.stages {
		nameW = max(nameW, len(stageName(s)))
		baseW = max(baseW, len(s.Base))
	}
	for i, s := range p.stages {
		note := ""
		if s.Name != "" && s.Name == p.configured {
			note = "  (configured target)"
		} else if p.configured == "" && i == len(p.stages)-1 {
			note = "  (default: last stage)"
		}
		needs := ""
		if len(s.Needs) > 0 {
			needs = "  needs " + strings.Join(s.Needs, ", ")
		}
		text := fmt.Sprintf("  %-*s  FROM %-*s  line %d%s%s", nameW, stageName(s), baseW, s.Base, s.Line, needs, note)
		text = fit(text, p.width)
		if i == p.cursor {
			text = st.selected.Render(text)
		}
		lines = append(lines, text)
	}
	lines = append(lines, "")
	for _, l := range wrapText(hint, p.width, "  ") {
		lines = append(lines, st.hint.Render(l))
	}
	if len(lines) > p.height && p.height > 0 {
		// Keep the cursor's line on screen in a short pane.
		start := max(0, min(p.cursor+1-(p.height-3), len(lines)-p.height))
		lines = append(lines[:1], lines[1+start:]...)
		lines = lines[:min(len(lines), p.height)]
	}
	for len(lines) < p.height {
		lines = append(lines, "")
	}
	return strings.Join(lines, "\n")
}

func stageName(s stack.BuildStage) string {
	if s.Name == "" {
		return fmt.Sprintf("#%d", s.Index)
	}
	return s.Name
}
