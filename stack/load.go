package stack

import (
	"context"
	"errors"
	"fmt"
	"os"
	"sort"

	"github.com/compose-spec/compose-go/v2/cli"
	"github.com/compose-spec/compose-go/v2/errdefs"
	"github.com/compose-spec/compose-go/v2/types"
)

// LoadOptions select and shape a project the way docker compose's global
// flags do. Zero values mean what compose means: the current folder, the
// default file names (searched upwards), COMPOSE_* from the environment.
type LoadOptions struct {
	// Files are the -f flags, in order (COMPOSE_FILE when empty).
	Files []string
	// WorkingDir is --project-directory (the first file's folder when empty).
	WorkingDir string
	// ProjectName is -p (COMPOSE_PROJECT_NAME, name:, folder name otherwise).
	ProjectName string
	// EnvFiles are --env-file flags (the project's .env when empty).
	EnvFiles []string
	// Profiles are --profile flags (COMPOSE_PROFILES when empty).
	Profiles []string
	// Services restricts the project to these services and what they need.
	Services []string
}

// composeModel is the compose-go project behind a Project; verbs that talk
// to the engine work from it so nothing is lost in translation.
type composeModel struct {
	project *types.Project
}

// Load reads a compose project exactly as the docker compose CLI does, so
// names, environment and config hashes agree with it.
func Load(ctx context.Context, opts LoadOptions) (*Project, error) {
	model, warnings, err := loadModel(ctx, opts)
	if err != nil {
		return nil, err
	}
	p, err := newProject(model)
	if err != nil {
		return nil, err
	}
	p.Warnings = append(warnings, p.Warnings...)
	return p, nil
}

func loadModel(ctx context.Context, opts LoadOptions) (*types.Project, []Warning, error) {
	fns := []cli.ProjectOptionsFn{
		cli.WithWorkingDirectory(opts.WorkingDir),
		cli.WithOsEnv,
	}
	if _, ok := os.LookupEnv("PWD"); !ok {
		if pwd, err := os.Getwd(); err == nil {
			fns = append(fns, cli.WithEnv([]string{"PWD=" + pwd}))
		}
	}
	// The same sequence as compose's buildProjectOptions: .env and
	// COMPOSE_FILE are read twice on purpose, once for the current folder
	// and once for the project folder found from the files.
	fns = append(fns,
		cli.WithEnvFiles(opts.EnvFiles...),
		cli.WithDotEnv,
		cli.WithConfigFileEnv,
		cli.WithDefaultConfigPath,
		cli.WithEnvFiles(opts.EnvFiles...),
		cli.WithDotEnv,
		cli.WithDefaultProfiles(opts.Profiles...),
		cli.WithName(opts.ProjectName),
		// Environment is resolved below, after loading, as the CLI does.
		cli.WithoutEnvironmentResolution,
	)
	po, err := cli.NewProjectOptions(opts.Files, fns...)
	if err != nil {
		return nil, nil, loadError(err)
	}
	model, err := po.LoadProject(ctx)
	if err != nil {
		return nil, nil, loadError(err)
	}
	if model.Name == "" {
		return nil, nil, fmt.Errorf("load project: the project has no name: use -p NAME")
	}
	if model, err = model.WithServicesEnabled(opts.Services...); err != nil {
		return nil, nil, fmt.Errorf("load project: %w", err)
	}
	// Folding env_file into environment is what makes the config hash equal
	// the CLI's: compose hashes the resolved environment.
	if model, err = model.WithServicesEnvironmentResolved(true); err != nil {
		return nil, nil, fmt.Errorf("load project: %w", err)
	}
	if model, err = model.WithSelectedServices(opts.Services); err != nil {
		return nil, nil, fmt.Errorf("load project: %w: %w", ErrUnknownService, err)
	}
	return model, nil, nil
}

func loadError(err error) error {
	if errors.Is(err, errdefs.ErrNotFound) {
		return fmt.Errorf("load project: %w: %w", ErrNoComposeFile, err)
	}
	return fmt.Errorf("load project: %w", err)
}

func newProject(model *types.Project) (*Project, error) {
	p := &Project{
		Name:        model.Name,
		WorkingDir:  model.WorkingDir,
		ConfigFiles: model.ComposeFiles,
		model:       &composeModel{project: model},
	}
	for _, name := range model.ServiceNames() {
		s, err := newService(model, model.Services[name])
		if err != nil {
			return nil, err
		}
		p.Services = append(p.Services, s)
	}
	for _, name := range model.DisabledServiceNames() {
		s, err := newService(model, model.DisabledServices[name])
		if err != nil {
			return nil, err
		}
		p.Inactive = append(p.Inactive, s)
	}
	for k := range model.Networks {
		p.Networks = append(p.Networks, k)
	}
	for k := range model.Volumes {
		p.Volumes = append(p.Volumes, k)
	}
	sort.Strings(p.Networks)
	sort.Strings(p.Volumes)
	return p, nil
}
