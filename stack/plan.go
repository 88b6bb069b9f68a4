package stack

import (
	"context"
	"slices"

	"github.com/compose-spec/compose-go/v2/types"
	"github.com/moby/moby/api/types/container"

	"github.com/devstack/devstack/stack/internal/confighash"
)

// inventory is what convergence planning reads from the engine: the
// project's containers, with the labels, networks and mounts the plan
// compares, and the volumes that exist. stack owns this narrow interface
// so the planning is unit-tested with a hand-written fake (plan_test.go);
// *Engine implements it, and the engine tests keep what only an engine can
// show.
type inventory interface {
	listProject(ctx context.Context, project string, all bool) ([]container.Summary, error)
	// existingVolume returns a volume's labels and whether it exists.
	existingVolume(ctx context.Context, name string) (map[string]string, bool, error)
}

var _ inventory = (*Engine)(nil)

// observeProject sorts the project's containers by service. Containers of
// services the project does not declare (active or switched off by
// profiles) are orphans. repair, when set, sees the list first and returns
// it as it is after repairs (up finishing interrupted recreates), so the
// project is listed once.
func observeProject(ctx context.Context, inv inventory, p *Project, project string,
	repair func([]container.Summary) ([]container.Summary, error)) (map[string][]observed, []observed, error) {
	summaries, err := inv.listProject(ctx, project, true)
	if err == nil && repair != nil {
		summaries, err = repair(summaries)
	}
	if err != nil {
		return nil, nil, err
	}
	byService := map[string][]observed{}
	var orphans []observed
	for _, s := range summaries {
		svc := s.Labels[labelService]
		if p.declares(svc) {
			byService[svc] = append(byService[svc], observedFromSummary(s))
		} else {
			orphans = append(orphans, observedFromSummary(s))
		}
	}
	return byService, orphans, nil
}

// declares reports whether the project declares the service, active or
// switched off by profiles.
func (p *Project) declares(service string) bool {
	if _, ok := p.Service(service); ok {
		return true
	}
	return slices.ContainsFunc(p.Inactive, func(s Service) bool { return s.Name == service })
}

// planFor plans one service of the up: its config hash (with service:x
// references resolved to the containers converged so far), what its
// containers must look like, and what to do with those observed.
func (r *upRun) planFor(name string) (types.ServiceConfig, string, servicePlan, error) {
	sc, err := r.resolveRefs(r.model.Services[name])
	if err != nil {
		return sc, "", servicePlan{}, err
	}
	hash, err := confighash.Service(sc)
	if err != nil {
		return sc, "", servicePlan{}, err
	}
	return sc, hash, planService(r.desired(sc, hash), r.observed[name]), nil
}
