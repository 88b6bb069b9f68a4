package stack

import (
	"context"
	"fmt"
	"regexp"
	"slices"
	"sort"
	"strings"

	"github.com/moby/moby/api/types/container"
	"github.com/moby/moby/client"
)

// ProjectSummary is one compose project on the engine as `docker compose
// ls` shows it, read from container labels alone.
type ProjectSummary struct {
	Name string
	// Status counts the listed containers by state in Compose's words and
	// order: "exited(1), running(2)" (states sorted by name).
	Status string
	// States is the same count by state.
	States map[State]int
	// ConfigFiles are the compose files the containers were created from,
	// in order of first appearance; nil when a container lacks the label
	// (Compose then prints "N/A").
	ConfigFiles []string
	// WorkingDir is the project folder of the first container that names one.
	WorkingDir string
}

// ListOptions shape ListProjects like `docker compose ls`'s flags.
type ListOptions struct {
	// All also counts stopped containers, so projects with no running
	// container appear; otherwise only running containers are seen.
	All bool
	// Names keeps the projects whose name equals one of these or matches
	// it as a regular expression (compose's --filter name=…); all when empty.
	Names []string
}

// ListProjects lists the compose projects on the engine the way `docker
// compose ls` does: from the containers that carry Compose's project and
// config-hash labels, sorted by name.
func (e *Engine) ListProjects(ctx context.Context, opts ListOptions) ([]ProjectSummary, error) {
	res, err := e.api.ContainerList(ctx, client.ContainerListOptions{
		All:     opts.All,
		Filters: make(client.Filters).Add("label", labelProject, labelConfigHash),
	})
	if err != nil {
		return nil, fmt.Errorf("list projects: %w", err)
	}
	var out []ProjectSummary
	for _, s := range summarizeProjects(res.Items) {
		if matchesName(opts.Names, s.Name) {
			out = append(out, s)
		}
	}
	return out, nil
}

// Projects lists the names of the compose projects that have containers on
// the engine, running or not, whoever created them, sorted by name.
func (e *Engine) Projects(ctx context.Context) ([]string, error) {
	list, err := e.ListProjects(ctx, ListOptions{All: true})
	if err != nil {
		return nil, err
	}
	names := make([]string, len(list))
	for i, s := range list {
		names[i] = s.Name
	}
	return names, nil
}

// summarizeProjects groups containers by project as Compose's
// containersToStacks does.
func summarizeProjects(cs []container.Summary) []ProjectSummary {
	byName := map[string]*ProjectSummary{}
	missingFiles := map[string]bool{}
	for _, c := range cs {
		name := c.Labels[labelProject]
		s := byName[name]
		if s == nil {
			s = &ProjectSummary{Name: name, States: map[State]int{}}
			byName[name] = s
		}
		s.States[State(c.State)]++
		if s.WorkingDir == "" {
			s.WorkingDir = c.Labels[labelWorkingDir]
		}
		files, ok := c.Labels[labelConfigFiles]
		if !ok {
			missingFiles[name] = true
			continue
		}
		for f := range strings.SplitSeq(files, ",") {
			if !slices.Contains(s.ConfigFiles, f) {
				s.ConfigFiles = append(s.ConfigFiles, f)
			}
		}
	}
	out := make([]ProjectSummary, 0, len(byName))
	for name, s := range byName {
		if missingFiles[name] {
			s.ConfigFiles = nil
		}
		s.Status = combinedStatus(s.States)
		out = append(out, *s)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

// combinedStatus words state counts as Compose does: "exited(1), running(2)".
func combinedStatus(states map[State]int) string {
	keys := make([]string, 0, len(states))
	for st := range states {
		keys = append(keys, string(st))
	}
	sort.Strings(keys)
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = fmt.Sprintf("%s(%d)", k, states[State(k)])
	}
	return strings.Join(parts, ", ")
}

// matchesName is Compose's name filter: an exact name or a regular
// expression that matches part of it; patterns that do not compile only
// match exactly.
func matchesName(patterns []string, name string) bool {
	if len(patterns) == 0 {
		return true
	}
	for _, p := range patterns {
		if p == name {
			return true
		}
		if ok, err := regexp.MatchString(p, name); err == nil && ok {
			return true
		}
	}
	return false
}
