package composeload

import (
	"context"
	"errors"
	"fmt"
	"io/fs"

	"github.com/compose-spec/compose-go/v2/errdefs"
	"github.com/compose-spec/compose-go/v2/loader"
	"github.com/compose-spec/compose-go/v2/types"

	"github.com/devstack/devstack/stack/internal/yamlpos"
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

// Result is everything one load produced: the compose-go model and what
// the loader noticed on the way. It also keeps the model before env_file
// was folded into environment and the YAML trees of the files, to tell
// where each variable came from (Env).
type Result struct {
	// Model is the project as the CLI uses it: services enabled and
	// selected, env_file folded into environment, unused networks and
	// volumes dropped.
	Model *types.Project
	// Legacy is set when a file was in the compose v1 format and was
	// converted in memory.
	Legacy bool
	// Migrated are the legacy files converted to the current format, as
	// `config --migrate` writes them.
	Migrated []MigratedFile
	// Warnings are legacy conversions, what compose-go logged and keys
	// devstack does not honour, in that order; files are shown relative
	// to the project folder.
	Warnings []Warning

	raw     *types.Project
	sources yamlpos.Files
	dotenv  map[string]string
}

// Load reads a compose project exactly as the docker compose CLI does, so
// names, environment and config hashes agree with it. Files in the legacy
// v1 format are converted in memory first (Result.Legacy, with a Warning).
// Errors in the files come back as *LoadError, naming file:line and key.
func Load(ctx context.Context, opts LoadOptions) (*Result, error) {
	var r *Result
	logs, err := captureLogs(func() (err error) {
		r, err = load(ctx, opts)
		return err
	})
	if err != nil {
		return nil, err
	}
	r.Warnings = append(r.Warnings, r.logWarnings(logs)...)
	r.Warnings = append(r.Warnings, r.unsupported(r.Model)...)
	for i := range r.Warnings {
		r.Warnings[i].File = DisplayPath(r.Warnings[i].File, r.Model.WorkingDir)
	}
	return r, nil
}

func load(ctx context.Context, opts LoadOptions) (*Result, error) {
	po, err := projectOptions(opts)
	if err != nil {
		return nil, loadError(err)
	}
	wd, err := po.GetWorkingDir()
	if err != nil {
		return nil, loadError(err)
	}
	details, err := po.ReadConfigFiles(ctx, wd, po)
	if err != nil {
		return nil, loadError(err)
	}
	details.Environment = po.Environment
	if err := checkVariableNesting(details.ConfigFiles, wd); err != nil {
		return nil, fmt.Errorf("load project: %w", err)
	}
	r := &Result{dotenv: dotenvOnly(po), sources: parseSources(details.ConfigFiles)}
	if err := r.convertLegacy(details); err != nil {
		return nil, err
	}

	model, err := loader.LoadWithContext(ctx, *details, loaderOptions(po, wd, details, opts.Profiles)...)
	if err != nil {
		return nil, locate(r.sources, fmt.Errorf("load project: %w", err), wd, loadVars{details.Environment, r.dotenv})
	}
	for _, f := range details.ConfigFiles {
		model.ComposeFiles = append(model.ComposeFiles, f.Filename)
	}
	if err := r.finish(model, opts.Services); err != nil {
		return nil, locate(r.sources, err, wd, loadVars{details.Environment, r.dotenv})
	}
	return r, nil
}

// finish applies what the CLI does after loading: services enabled and
// selected, env_file folded into environment (what makes the config hash
// equal the CLI's: compose hashes the resolved environment).
func (r *Result) finish(model *types.Project, services []string) error {
	if model.Name == "" {
		return fmt.Errorf("load project: the project has no name: use -p NAME")
	}
	declared := append(model.ServiceNames(), model.DisabledServiceNames()...)
	if err := CheckServiceNames(model.Name, declared, services); err != nil {
		return fmt.Errorf("load project: %w", err)
	}
	model, err := model.WithServicesEnabled(services...)
	if err != nil {
		return fmt.Errorf("load project: %w", err)
	}
	r.raw = model
	if model, err = model.WithServicesEnvironmentResolved(true); err != nil {
		return fmt.Errorf("load project: %w", err)
	}
	if model, err = model.WithSelectedServices(services); err != nil {
		return fmt.Errorf("load project: %w: %w", ErrUnknownService, err)
	}
	// Compose creates only the networks and volumes some service uses.
	r.Model = model.WithoutUnnecessaryResources()
	return nil
}

func loadError(err error) error {
	if errors.Is(err, errdefs.ErrNotFound) || errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("load project: %w: %w", ErrNoComposeFile, err)
	}
	return fmt.Errorf("load project: %w", err)
}

// parseSources keeps each compose file's YAML tree, to say where a key is.
func parseSources(files []types.ConfigFile) yamlpos.Files {
	out := make(yamlpos.Files, 0, len(files))
	for _, f := range files {
		out = append(out, yamlpos.Parse(f.Filename, f.Content))
	}
	return out
}
