package stack

import (
	"context"

	"github.com/compose-spec/compose-go/v2/types"

	"github.com/devstack/devstack/stack/internal/composeload"
)

// LoadOptions select and shape a project the way docker compose's global
// flags do (-f, --project-directory, -p, --env-file, --profile, services).
type LoadOptions = composeload.LoadOptions

// LoadError is a problem in a compose file, located: the file and line,
// the key, compose-go's message and a hint saying what to do.
type LoadError = composeload.LoadError

// composeModel is the compose-go project behind a Project; verbs that talk
// to the engine work from it so nothing is lost in translation.
type composeModel struct {
	project *types.Project
	// migrated are the legacy files converted to the current format.
	migrated []MigratedFile
}

// Load reads a compose project exactly as the docker compose CLI does, so
// names, environment and config hashes agree with it. Files in the legacy
// v1 format are converted in memory first (Project.Legacy, with a Warning).
// Errors in the files come back as *LoadError, naming file:line and key.
func Load(ctx context.Context, opts LoadOptions) (*Project, error) {
	r, err := composeload.Load(ctx, opts)
	if err != nil {
		return nil, err
	}
	return newProject(r)
}

// newProject builds devstack's plain view of a loaded project.
func newProject(r *composeload.Result) (*Project, error) {
	model := r.Model
	p := &Project{
		Name:        model.Name,
		WorkingDir:  model.WorkingDir,
		ConfigFiles: model.ComposeFiles,
		Legacy:      r.Legacy,
		Warnings:    r.Warnings,
		model:       &composeModel{project: model, migrated: r.Migrated},
	}
	for _, name := range model.ServiceNames() {
		s, err := loadedService(r, name, model.Services[name])
		if err != nil {
			return nil, err
		}
		p.Services = append(p.Services, s)
	}
	for _, name := range model.DisabledServiceNames() {
		s, err := loadedService(r, name, model.DisabledServices[name])
		if err != nil {
			return nil, err
		}
		p.Inactive = append(p.Inactive, s)
	}
	p.Networks, p.Volumes = sortedKeys(model.Networks), sortedKeys(model.Volumes)
	var err error
	if p.NetworkConfigs, err = networkSpecs(model); err != nil {
		return nil, err
	}
	if p.VolumeConfigs, err = volumeSpecs(model); err != nil {
		return nil, err
	}
	return p, nil
}

// loadedService converts one service and says where each variable came from.
func loadedService(r *composeload.Result, name string, sc types.ServiceConfig) (Service, error) {
	s, err := newService(r.Model, sc)
	if err != nil {
		return Service{}, err
	}
	s.Env = r.Env(name)
	return s, nil
}
