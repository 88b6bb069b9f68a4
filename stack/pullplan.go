package stack

import (
	"fmt"

	"github.com/compose-spec/compose-go/v2/types"

	ocispec "github.com/opencontainers/image-spec/specs-go/v1"
)

// ImagePlan is how one image of a project would be pulled, worked out
// without the network: the parsed reference, the platform asked for, and
// whether the docker CLI's configuration holds credentials for its registry.
type ImagePlan struct {
	Ref      ImageRef
	Services []string
	// Platform is the service's platform (or DOCKER_DEFAULT_PLATFORM);
	// zero when the engine's own platform applies.
	Platform ocispec.Platform
	// HasCredentials is set when config.json (or its helper) has an entry
	// for the registry; anonymous pulls are the norm for public images.
	HasCredentials bool
}

// PlanImages resolves every distinct image the project's services name,
// the way Pull and Up will before they ask the engine: an unparseable
// reference or platform, or an unreadable credential configuration, is an
// error that names the service.
func PlanImages(p *Project) ([]ImagePlan, error) {
	if p.model == nil || p.model.project == nil {
		return nil, fmt.Errorf("plan images %s: project was not loaded with stack.Load", p.Name)
	}
	jobs, err := pullJobs(p.model.project, func(types.ServiceConfig, ImageRef) (bool, string, error) { return true, "", nil }, nil)
	if err != nil {
		return nil, fmt.Errorf("plan images %s: %w", p.Name, err)
	}
	plans := make([]ImagePlan, 0, len(jobs))
	for _, j := range jobs {
		plan := ImagePlan{Ref: j.ref, Services: j.services}
		if j.platform != "" {
			if plan.Platform, err = parsePlatform(j.platform); err != nil {
				return nil, fmt.Errorf("plan images %s: service %s: %w", p.Name, j.services[0], err)
			}
		}
		header, _, err := registryAuth(j.ref)
		if err != nil {
			return nil, fmt.Errorf("plan images %s: service %s: %w", p.Name, j.services[0], err)
		}
		plan.HasCredentials = header != ""
		plans = append(plans, plan)
	}
	return plans, nil
}
