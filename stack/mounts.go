package stack

import (
	"fmt"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"

	"github.com/compose-spec/compose-go/v2/types"
	"github.com/moby/moby/api/types/container"
	"github.com/moby/moby/api/types/mount"
)

// serviceMounts converts volumes:, secrets: and configs: into the engine's
// two forms. Like Compose, plain binds and named volumes go through the
// legacy Binds list, because only it makes the engine create a missing host
// folder; anything with options only the Mount API has goes through Mounts.
func serviceMounts(model *types.Project, sc types.ServiceConfig) (binds []string, mounts []mount.Mount, err error) {
	for _, v := range sc.Volumes {
		b, m, err := volumeMount(model, v)
		if err != nil {
			return nil, nil, fmt.Errorf("service %s: volume %s: %w", sc.Name, v.Target, err)
		}
		if b != "" {
			binds = append(binds, b)
		} else {
			mounts = append(mounts, m)
		}
	}
	files, err := fileMounts(model, sc)
	if err != nil {
		return nil, nil, fmt.Errorf("service %s: %w", sc.Name, err)
	}
	return binds, append(mounts, files...), nil
}

// volumeMount returns either a Binds entry or a Mount for one volume.
func volumeMount(model *types.Project, v types.ServiceVolumeConfig) (string, mount.Mount, error) {
	m := mount.Mount{Type: mount.Type(v.Type), Source: v.Source, Target: v.Target, ReadOnly: v.ReadOnly,
		Consistency: mount.Consistency(v.Consistency)}
	switch v.Type {
	case types.VolumeTypeBind:
		if !filepath.IsAbs(m.Source) {
			abs, err := filepath.Abs(m.Source)
			if err != nil {
				return "", m, err
			}
			m.Source = abs
		}
		m.BindOptions = bindOptions(v.Bind)
		if !bindNeedsMountAPI(v.Bind) {
			return bindString(m.Source, v), m, nil
		}
	case types.VolumeTypeVolume:
		if v.Source == "" {
			return "", m, nil // anonymous: the engine names it
		}
		vol, ok := model.Volumes[v.Source]
		if !ok {
			return "", m, fmt.Errorf("volume %q is not declared in the top-level volumes", v.Source)
		}
		m.Source = vol.Name
		if o := v.Volume; o != nil && (len(o.Labels) > 0 || o.Subpath != "" || o.NoCopy) {
			m.VolumeOptions = &mount.VolumeOptions{NoCopy: o.NoCopy, Subpath: o.Subpath, Labels: o.Labels}
			return "", m, nil
		}
		return bindString(vol.Name, v), m, nil
	case types.VolumeTypeTmpfs:
		if t := v.Tmpfs; t != nil {
			m.TmpfsOptions = &mount.TmpfsOptions{SizeBytes: int64(t.Size), Mode: os.FileMode(t.Mode)}
		}
	}
	return "", m, nil
}

// bindNeedsMountAPI reports whether a bind uses options the Binds syntax
// cannot express — including create_host_path: false, which Binds ignores.
func bindNeedsMountAPI(b *types.ServiceVolumeBind) bool {
	return b != nil && (!bool(b.CreateHostPath) || b.Propagation != "" || b.Recursive != "")
}

func bindOptions(b *types.ServiceVolumeBind) *mount.BindOptions {
	if b == nil {
		return nil
	}
	o := &mount.BindOptions{Propagation: mount.Propagation(b.Propagation), CreateMountpoint: bool(b.CreateHostPath)}
	switch b.Recursive {
	case "disabled":
		o.NonRecursive = true
	case "writable":
		o.ReadOnlyNonRecursive = true
	case "readonly":
		o.ReadOnlyForceRecursive = true
	}
	return o
}

// bindString is the "source:target:options" form of the Binds list.
func bindString(source string, v types.ServiceVolumeConfig) string {
	opts := []string{"rw"}
	if v.ReadOnly {
		opts[0] = "ro"
	}
	if v.Bind != nil && v.Bind.SELinux != "" {
		opts = append(opts, v.Bind.SELinux)
	}
	if v.Bind != nil && v.Bind.Propagation != "" {
		opts = append(opts, v.Bind.Propagation)
	}
	if v.Volume != nil && v.Volume.NoCopy {
		opts = append(opts, "nocopy")
	}
	return source + ":" + v.Target + ":" + strings.Join(opts, ",")
}

// shortTmpfs converts the short tmpfs form ("/run:size=16m,mode=1777") into
// the engine's map of target to mount options.
func shortTmpfs(list types.StringList) map[string]string {
	if len(list) == 0 {
		return nil
	}
	out := make(map[string]string, len(list))
	for _, t := range list {
		target, opts, _ := strings.Cut(t, ":")
		out[target] = opts
	}
	return out
}

// fileMounts binds file-based secrets and configs read-only, where Compose
// puts them (/run/secrets/<name> and /<name>).
func fileMounts(model *types.Project, sc types.ServiceConfig) ([]mount.Mount, error) {
	var out []mount.Mount
	for _, s := range sc.Secrets {
		def := model.Secrets[s.Source]
		if def.External || def.Environment != "" || def.Content != "" {
			return nil, fmt.Errorf("secret %s: only file secrets are supported", s.Source)
		}
		out = append(out, readOnlyBind(def.File, fileTarget("/run/secrets", s.Source, s.Target)))
	}
	for _, c := range sc.Configs {
		def := model.Configs[c.Source]
		if def.External || def.Environment != "" || def.Content != "" {
			return nil, fmt.Errorf("config %s: only file configs are supported", c.Source)
		}
		out = append(out, readOnlyBind(def.File, fileTarget("/", c.Source, c.Target)))
	}
	return out, nil
}

func fileTarget(base, source, target string) string {
	switch {
	case target == "":
		return path.Join(base, source)
	case path.IsAbs(target):
		return target
	}
	return path.Join(base, target)
}

func readOnlyBind(source, target string) mount.Mount {
	return mount.Mount{Type: mount.TypeBind, Source: source, Target: target, ReadOnly: true}
}

// inheritedVolumes are the anonymous volumes of a container being replaced
// that its replacement keeps, as Compose does: those at a target where the
// service declares a volume without a source, or its image a VOLUME. So
// their data survives the recreate.
func inheritedVolumes(sc types.ServiceConfig, imageVolumes map[string]struct{}, old []container.MountPoint) []mount.Mount {
	var out []mount.Mount
	for _, m := range old {
		if m.Type != mount.TypeVolume || m.Name == "" {
			continue
		}
		_, fromImage := imageVolumes[m.Destination]
		declared := slices.ContainsFunc(sc.Volumes, func(v types.ServiceVolumeConfig) bool {
			return v.Target == m.Destination && v.Type == types.VolumeTypeVolume && v.Source == ""
		})
		if declared || (fromImage && !mountsTarget(sc, m.Destination)) {
			out = append(out, mount.Mount{Type: mount.TypeVolume, Source: m.Name, Target: m.Destination, ReadOnly: !m.RW})
		}
	}
	return out
}

// mountsTarget reports whether the service mounts something at target.
func mountsTarget(sc types.ServiceConfig, target string) bool {
	return slices.ContainsFunc(sc.Volumes, func(v types.ServiceVolumeConfig) bool { return v.Target == target })
}

// withoutInherited drops the anonymous volumes an inherited volume stands
// in for, so that the target is mounted once.
func withoutInherited(sc types.ServiceConfig, inherit []mount.Mount) types.ServiceConfig {
	if len(inherit) == 0 {
		return sc
	}
	sc.Volumes = slices.DeleteFunc(slices.Clone(sc.Volumes), func(v types.ServiceVolumeConfig) bool {
		return v.Source == "" && slices.ContainsFunc(inherit, func(m mount.Mount) bool { return m.Target == v.Target })
	})
	return sc
}
