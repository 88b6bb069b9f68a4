package stack

import (
	"context"
	"fmt"
	"regexp"
	"strconv"

	"github.com/moby/moby/api/types/container"
	"github.com/moby/moby/client"
)

// replacementPrefix matches the "<short id>_" that a recreate puts in front
// of the final name while old and new containers coexist (replacementName;
// Compose uses the same convention, so leftovers of either tool match).
var replacementPrefix = regexp.MustCompile(`^[0-9a-f]{12}_`)

// leftover is a replacement container that an interrupted recreate left
// under its temporary name.
type leftover struct {
	summary container.Summary
	name    string // its temporary name
	final   string // the name it was meant to take
}

// recoverInterrupted finishes or undoes the recreates that a killed up (of
// devstack or of Compose) left half-done, before convergence plans anything:
//   - the old container is still there: the replacement was never put in its
//     place, so it is removed (its anonymous volumes are shared with the old
//     one and kept) and the plan decides again whether to recreate;
//   - the old container is gone: only the rename was missing, so the
//     replacement takes the final name.
//
// It returns the project's containers as they are afterwards.
func (e *Engine) recoverInterrupted(ctx context.Context, project string, summaries []container.Summary, progress ProgressFunc) ([]container.Summary, error) {
	byName := make(map[string]bool, len(summaries))
	var found []leftover
	for _, s := range summaries {
		name := summaryName(s)
		byName[name] = true
		if l, ok := asLeftover(project, s, name); ok {
			found = append(found, l)
		}
	}
	if len(found) == 0 {
		return summaries, nil
	}
	dropped := map[string]bool{}
	renamed := map[string]string{}
	for _, l := range found {
		service := l.summary.Labels[labelService]
		if byName[l.final] {
			progress.report(Progress{Kind: ProgressWarning, Service: service, Subject: l.name,
				Text: fmt.Sprintf("removing %s: an interrupted recreate left it beside %s", l.name, l.final)})
			if err := e.removeContainer(ctx, observedFromSummary(l.summary), service, nil, nil); err != nil {
				return nil, fmt.Errorf("undo interrupted recreate of %s: %w", l.final, err)
			}
			dropped[l.summary.ID] = true
			continue
		}
		progress.report(Progress{Kind: ProgressWarning, Service: service, Subject: l.final,
			Text: fmt.Sprintf("renaming %s to %s: an interrupted recreate did not finish", l.name, l.final)})
		if _, err := e.api.ContainerRename(ctx, l.summary.ID, client.ContainerRenameOptions{NewName: l.final}); err != nil {
			return nil, fmt.Errorf("finish interrupted recreate of %s: rename %s: %w", l.final, l.name, err)
		}
		byName[l.final] = true
		renamed[l.summary.ID] = l.final
	}
	out := make([]container.Summary, 0, len(summaries))
	for _, s := range summaries {
		if dropped[s.ID] {
			continue
		}
		if final, ok := renamed[s.ID]; ok {
			s.Names = []string{"/" + final}
		}
		out = append(out, s)
	}
	return out, nil
}

// asLeftover reports whether a container carries a recreate's temporary
// name, and the final name it was meant to take. The final name is read
// from the labels (project, service, number) so that a container whose
// name merely starts with twelve hex digits is not mistaken for one,
// except for container_name services, whose final name is the rest.
func asLeftover(project string, s container.Summary, name string) (leftover, bool) {
	if !replacementPrefix.MatchString(name) {
		return leftover{}, false
	}
	rest := name[len("0123456789ab_"):]
	n, err := strconv.Atoi(s.Labels[labelNumber])
	if err != nil {
		return leftover{}, false
	}
	numbered := fmt.Sprintf("%s-%s-%d", project, s.Labels[labelService], n)
	if rest != numbered && s.Labels[labelReplace] != rest {
		return leftover{}, false
	}
	return leftover{summary: s, name: name, final: rest}, true
}

// summaryName is a listed container's name without the engine's slash.
func summaryName(s container.Summary) string {
	if len(s.Names) == 0 {
		return ""
	}
	return engineName(s.Names[0])
}

// removeStaleReplacement removes the container holding a replacement's
// temporary name when it is a leftover of this service: an up interrupted
// while its create request was in flight leaves one that the engine made
// after the client had gone, too late for recoverInterrupted to see it.
func (e *Engine) removeStaleReplacement(ctx context.Context, project, service, name string) (bool, error) {
	res, err := e.api.ContainerInspect(ctx, name, client.ContainerInspectOptions{})
	if err != nil {
		return false, fmt.Errorf("inspect %s: %w", name, err)
	}
	c := res.Container
	if c.Config == nil || c.Config.Labels[labelProject] != project || c.Config.Labels[labelService] != service {
		return false, nil
	}
	o := observed{ID: c.ID, Name: name}
	if c.State != nil {
		o.State = c.State.Status
	}
	if err := e.removeContainer(ctx, o, service, nil, nil); err != nil {
		return false, err
	}
	return true, nil
}
