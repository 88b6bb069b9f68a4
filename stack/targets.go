package stack

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sort"
	"strconv"
	"sync"

	"github.com/moby/moby/api/types/container"
)

// ErrNoContainers means a verb found no container to act on (kill with
// nothing running, rm with nothing stopped); compose reports it and exits 0.
var ErrNoContainers = errors.New("no container to act on")

// checkServices fails with ErrUnknownService, naming the services that do
// exist, when a name is not a service of the project (active or switched
// off by a profile). A nil project (no compose file, -p NAME) checks
// against the services found on the engine instead.
func (p *Project) checkServices(names []string, onEngine []container.Summary) error {
	if p != nil {
		return p.CheckServices(names...)
	}
	project := ""
	labels := make([]map[string]string, len(onEngine))
	for i, c := range onEngine {
		labels[i] = c.Labels
		project = c.Labels[labelProject]
	}
	return CheckServiceNames(project, sortedLabelValues(labels, labelService), names)
}

// targetOptions choose the containers a verb acts on.
type targetOptions struct {
	services []string
	// oneOff includes the containers of `run` (compose's oneOffInclude).
	oneOff bool
	// orphans keeps containers of services the project no longer declares.
	orphans bool
	// states keeps only containers in these states (all when empty).
	states []container.ContainerState
}

// targets lists the project's containers a verb acts on, after checking
// the service names: those compose sees (project and config-hash labels),
// of the chosen services, in the engine's order (newest first), which is
// the order compose names them in.
func (e *Engine) targets(ctx context.Context, project string, p *Project, opts targetOptions) ([]container.Summary, error) {
	all, err := e.listForDown(ctx, project)
	if err != nil {
		return nil, err
	}
	if err := p.checkServices(opts.services, all); err != nil {
		return nil, err
	}
	var out []container.Summary
	for _, c := range all {
		svc := c.Labels[labelService]
		switch {
		case !opts.oneOff && c.Labels[labelOneOff] == "True":
		case len(opts.services) > 0 && !slices.Contains(opts.services, svc):
		case p != nil && !opts.orphans && !declares(p, svc):
		case len(opts.states) > 0 && !slices.Contains(opts.states, c.State):
		default:
			out = append(out, c)
		}
	}
	return out, nil
}

// sortByServiceNumber orders containers by service, then one-off last,
// then container number, as compose picks "the" container of a service.
func sortByServiceNumber(cs []container.Summary) {
	sort.SliceStable(cs, func(i, j int) bool {
		a, b := cs[i].Labels, cs[j].Labels
		if a[labelService] != b[labelService] {
			return a[labelService] < b[labelService]
		}
		if (a[labelOneOff] == "True") != (b[labelOneOff] == "True") {
			return b[labelOneOff] == "True"
		}
		na, _ := strconv.Atoi(a[labelNumber])
		nb, _ := strconv.Atoi(b[labelNumber])
		return na < nb
	})
}

// serviceTarget picks one running container of a service: number index,
// or the lowest-numbered one when index is 0, as compose does for port,
// attach and cp --index.
func (e *Engine) serviceTarget(ctx context.Context, project string, p *Project, service string, index int, all bool) (container.Summary, error) {
	opts := targetOptions{services: []string{service}, oneOff: true}
	if !all {
		opts.states = []container.ContainerState{container.StateRunning, container.StateRestarting, container.StatePaused}
	}
	cs, err := e.targets(ctx, project, p, opts)
	if err != nil {
		return container.Summary{}, err
	}
	sortByServiceNumber(cs)
	for _, c := range cs {
		if index == 0 || c.Labels[labelNumber] == strconv.Itoa(index) && c.Labels[labelOneOff] != "True" {
			return c, nil
		}
	}
	if index > 0 {
		return container.Summary{}, fmt.Errorf("service %q is not running container #%d (see `devstack ps -a`): %w", service, index, ErrNotCreated)
	}
	return container.Summary{}, fmt.Errorf("service %q is not running (start it with `devstack up -d %s`): %w", service, service, ErrNotCreated)
}

// containerName is a container's name without the engine's leading slash.
func containerName(c container.Summary) string {
	return engineName(firstName(c))
}

// eachSummary runs fn on every container concurrently and joins the errors.
func eachSummary(cs []container.Summary, fn func(container.Summary) error) error {
	return eachIndexed(cs, func(_ int, c container.Summary) error { return fn(c) })
}

// eachIndexed runs fn on every container concurrently, with its index in
// cs, and joins the errors.
func eachIndexed(cs []container.Summary, fn func(int, container.Summary) error) error {
	errs := make([]error, len(cs))
	var wg sync.WaitGroup
	for i, c := range cs {
		wg.Go(func() { errs[i] = fn(i, c) })
	}
	wg.Wait()
	return errors.Join(errs...)
}

// CheckServices fails with ErrUnknownService, naming the services that
// exist, when a name is not a service of the project; with a nil project,
// of the project's containers on the engine. For verbs that stream
// (events, stats) and have no container list of their own to check.
func (e *Engine) CheckServices(ctx context.Context, project string, p *Project, services []string) error {
	if len(services) == 0 {
		return nil
	}
	var onEngine []container.Summary
	if p == nil {
		var err error
		if onEngine, err = e.listForDown(ctx, project); err != nil {
			return err
		}
	}
	return p.checkServices(services, onEngine)
}
