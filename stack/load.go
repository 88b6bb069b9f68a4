package stack

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/compose-spec/compose-go/v2/cli"
	"github.com/compose-spec/compose-go/v2/errdefs"
	"github.com/compose-spec/compose-go/v2/loader"
	"github.com/compose-spec/compose-go/v2/types"
	"github.com/compose-spec/compose-go/v2/utils"
	"go.yaml.in/yaml/v3"

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

// composeModel is the compose-go project behind a Project; verbs that talk
// to the engine work from it so nothing is lost in translation.
type composeModel struct {
	project *types.Project
	// migrated are the legacy files converted to the current format.
	migrated []MigratedFile
}

// loaded is everything one load produced: the compose-go model, the model
// before env_file was folded into environment (to tell where each variable
// came from), the YAML trees of the files (for positions) and what the
// loader noticed on the way.
type loaded struct {
	model    *types.Project
	raw      *types.Project
	sources  yamlpos.Files
	dotenv   map[string]string
	legacy   bool
	migrated []MigratedFile
	warnings []Warning
}

// Load reads a compose project exactly as the docker compose CLI does, so
// names, environment and config hashes agree with it. Files in the legacy
// v1 format are converted in memory first (Project.Legacy, with a Warning).
// Errors in the files come back as *LoadError, naming file:line and key.
func Load(ctx context.Context, opts LoadOptions) (*Project, error) {
	var l *loaded
	logs, err := captureLogs(func() (err error) {
		l, err = loadModel(ctx, opts)
		return err
	})
	if err != nil {
		return nil, err
	}
	l.warnings = append(l.warnings, l.logWarnings(logs)...)
	p, err := newProject(l)
	if err != nil {
		return nil, err
	}
	p.Warnings = append(l.warnings, p.Warnings...)
	for i := range p.Warnings {
		p.Warnings[i].File = displayPath(p.Warnings[i].File, p.WorkingDir)
	}
	return p, nil
}

func loadModel(ctx context.Context, opts LoadOptions) (*loaded, error) {
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
	l := &loaded{dotenv: dotenvOnly(po), sources: parseSources(details.ConfigFiles)}
	if err := l.convertLegacy(details); err != nil {
		return nil, err
	}

	model, err := loader.LoadWithContext(ctx, *details, loaderOptions(po, wd, details, opts.Profiles)...)
	if err != nil {
		return nil, locate(l.sources, fmt.Errorf("load project: %w", err), wd, loadVars{details.Environment, l.dotenv})
	}
	for _, f := range details.ConfigFiles {
		model.ComposeFiles = append(model.ComposeFiles, f.Filename)
	}
	if err := l.finish(model, opts.Services); err != nil {
		return nil, locate(l.sources, err, wd, loadVars{details.Environment, l.dotenv})
	}
	return l, nil
}

// projectOptions is compose's buildProjectOptions: .env and COMPOSE_FILE are
// read twice on purpose, once for the current folder and once for the
// project folder found from the files.
func projectOptions(opts LoadOptions) (*cli.ProjectOptions, error) {
	fns := []cli.ProjectOptionsFn{
		cli.WithWorkingDirectory(opts.WorkingDir),
		cli.WithOsEnv,
	}
	if _, ok := os.LookupEnv("PWD"); !ok {
		if pwd, err := os.Getwd(); err == nil {
			fns = append(fns, cli.WithEnv([]string{"PWD=" + pwd}))
		}
	}
	fns = append(fns,
		cli.WithEnvFiles(opts.EnvFiles...),
		cli.WithDotEnv,
		cli.WithConfigFileEnv,
		cli.WithDefaultConfigPath,
		cli.WithEnvFiles(opts.EnvFiles...),
		cli.WithDotEnv,
		cli.WithName(opts.ProjectName),
	)
	return cli.NewProjectOptions(opts.Files, fns...)
}

// loaderOptions are the loader options ProjectOptions.LoadProject would
// pass. devstack calls the loader itself so it can hand it file contents
// converted in memory (legacy files), which LoadProject cannot take; these
// reproduce what WithDefaultProfiles, WithoutEnvironmentResolution and
// compose-go's own prepare step add.
func loaderOptions(po *cli.ProjectOptions, wd string, details *types.ConfigDetails, profiles []string) []func(*loader.Options) {
	if len(profiles) == 0 {
		for _, s := range strings.Split(po.Environment["COMPOSE_PROFILES"], ",") {
			profiles = append(profiles, strings.TrimSpace(s))
		}
	}
	return []func(*loader.Options){
		loader.WithProfiles(profiles),
		func(o *loader.Options) {
			// Environment is resolved in finish, after loading, as the CLI does.
			o.SkipResolveEnvironment = true
			if o.ResolvePaths {
				o.ConvertWindowsPaths = utils.StringToBool(po.Environment["COMPOSE_CONVERT_WINDOWS_PATHS"])
			}
			setProjectName(o, po, wd, details)
		},
	}
}

// setProjectName applies the name precedence of the CLI: -p, then
// COMPOSE_PROJECT_NAME, then name: in a file (read by the loader), then the
// project folder's name.
func setProjectName(o *loader.Options, po *cli.ProjectOptions, wd string, details *types.ConfigDetails) {
	switch {
	case po.Name != "":
		o.SetProjectName(po.Name, true)
	case po.Environment["COMPOSE_PROJECT_NAME"] != "":
		o.SetProjectName(po.Environment["COMPOSE_PROJECT_NAME"], true)
	case !namedInFiles(details):
		o.SetProjectName(loader.NormalizeProjectName(filepath.Base(wd)), false)
	}
}

// finish applies what the CLI does after loading: services enabled and
// selected, env_file folded into environment (what makes the config hash
// equal the CLI's: compose hashes the resolved environment).
func (l *loaded) finish(model *types.Project, services []string) error {
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
	l.raw = model
	if model, err = model.WithServicesEnvironmentResolved(true); err != nil {
		return fmt.Errorf("load project: %w", err)
	}
	if model, err = model.WithSelectedServices(services); err != nil {
		return fmt.Errorf("load project: %w: %w", ErrUnknownService, err)
	}
	// Compose creates only the networks and volumes some service uses.
	l.model = model.WithoutUnnecessaryResources()
	return nil
}

func loadError(err error) error {
	if errors.Is(err, errdefs.ErrNotFound) || errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("load project: %w: %w", ErrNoComposeFile, err)
	}
	return fmt.Errorf("load project: %w", err)
}

// newProject builds devstack's plain view of a loaded project.
func newProject(l *loaded) (*Project, error) {
	model := l.model
	p := &Project{
		Name:        model.Name,
		WorkingDir:  model.WorkingDir,
		ConfigFiles: model.ComposeFiles,
		Legacy:      l.legacy,
		model:       &composeModel{project: model, migrated: l.migrated},
	}
	for _, name := range model.ServiceNames() {
		s, err := l.service(model.Services[name], l.raw.Services[name])
		if err != nil {
			return nil, err
		}
		p.Services = append(p.Services, s)
	}
	for _, name := range model.DisabledServiceNames() {
		s, err := l.service(model.DisabledServices[name], l.raw.DisabledServices[name])
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
	p.Warnings = append(p.Warnings, l.unsupported(model)...)
	return p, nil
}

// service converts one service and says where each variable came from.
func (l *loaded) service(sc, raw types.ServiceConfig) (Service, error) {
	s, err := newService(l.model, sc)
	if err != nil {
		return Service{}, err
	}
	s.Env = l.envVars(raw, sc.Environment, l.model.WorkingDir)
	return s, nil
}

// namedInFiles reports whether a compose file sets name: (then the loader
// reads it, with interpolation, and it wins over the folder's name).
func namedInFiles(details *types.ConfigDetails) bool {
	for _, f := range details.ConfigFiles {
		var n struct {
			Name string `yaml:"name"`
		}
		if yaml.Unmarshal(f.Content, &n) == nil && n.Name != "" {
			return true
		}
	}
	return false
}

// parseSources keeps each compose file's YAML tree, to say where a key is.
func parseSources(files []types.ConfigFile) yamlpos.Files {
	out := make(yamlpos.Files, 0, len(files))
	for _, f := range files {
		out = append(out, yamlpos.Parse(f.Filename, f.Content))
	}
	return out
}
