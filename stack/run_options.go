package stack

import (
	"fmt"
	"os"
	"path/filepath"

	"github.com/compose-spec/compose-go/v2/format"
	"github.com/compose-spec/compose-go/v2/types"
)

// applyRunOptions turns the service into its one-off form, as Compose's
// applyRunOptions and prepareRun do.
func applyRunOptions(model *types.Project, sc types.ServiceConfig, opts RunOptions) (types.ServiceConfig, error) {
	sc.Tty, sc.StdinOpen = opts.TTY, opts.Interactive
	sc.ContainerName = opts.Name
	if len(opts.Cmd) > 0 {
		sc.Command = opts.Cmd
	}
	if opts.Entrypoint != nil {
		sc.Entrypoint = opts.Entrypoint
		if len(opts.Cmd) == 0 {
			sc.Command = []string{}
		}
	}
	if opts.User != "" {
		sc.User = opts.User
	}
	if opts.WorkDir != "" {
		sc.WorkingDir = opts.WorkDir
	}
	if len(opts.Env) > 0 {
		env := types.NewMappingWithEquals(opts.Env).Resolve(os.LookupEnv).RemoveEmpty()
		if sc.Environment == nil {
			sc.Environment = types.MappingWithEquals{}
		}
		sc.Environment.OverrideBy(env)
	}
	if !opts.ServicePorts {
		sc.Ports = nil
	}
	for _, spec := range opts.Ports {
		ports, err := types.ParsePortConfig(spec)
		if err != nil {
			return sc, fmt.Errorf("publish %q: %w", spec, err)
		}
		sc.Ports = append(sc.Ports, ports...)
	}
	for _, spec := range opts.Volumes {
		v, err := format.ParseVolume(spec)
		if err != nil {
			return sc, fmt.Errorf("volume %q: %w", spec, err)
		}
		if v.Type == types.VolumeTypeBind && !filepath.IsAbs(v.Source) {
			v.Source = filepath.Join(model.WorkingDir, v.Source)
		}
		sc.Volumes = append(sc.Volumes, v)
	}
	one := 1
	sc.Scale, sc.Restart = &one, ""
	if sc.Deploy != nil {
		d := *sc.Deploy
		d.RestartPolicy, d.Replicas = nil, &one
		sc.Deploy = &d
	}
	return sc, nil
}
