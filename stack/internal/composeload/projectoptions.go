package composeload

import (
	"os"
	"path/filepath"
	"strings"

	"github.com/compose-spec/compose-go/v2/cli"
	"github.com/compose-spec/compose-go/v2/loader"
	"github.com/compose-spec/compose-go/v2/types"
	"github.com/compose-spec/compose-go/v2/utils"
	"go.yaml.in/yaml/v3"
)

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
