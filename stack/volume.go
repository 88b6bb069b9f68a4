package stack

import (
	"context"
	"fmt"

	"github.com/compose-spec/compose-go/v2/types"
	cerrdefs "github.com/containerd/errdefs"
	"github.com/moby/moby/client"
)

// ensureVolumes makes sure the named volumes under the given keys exist. A
// volume that exists is used as it is, even when its configuration
// changed: its data matters more than its options, so devstack only says so.
func (e *Engine) ensureVolumes(ctx context.Context, model *types.Project, keys []string, progress ProgressFunc) error {
	for _, key := range keys {
		v, ok := model.Volumes[key]
		if !ok {
			return fmt.Errorf("volume %s is not declared in the project", key)
		}
		res, err := e.api.VolumeInspect(ctx, v.Name, client.VolumeInspectOptions{})
		switch {
		case cerrdefs.IsNotFound(err) && bool(v.External):
			return fmt.Errorf("volume %s is declared as external, but could not be found: create it with `docker volume create %s`", v.Name, v.Name)
		case cerrdefs.IsNotFound(err):
			if err := e.createVolume(ctx, model.Name, key, v, progress); err != nil {
				return err
			}
			continue
		case err != nil:
			return fmt.Errorf("inspect volume %s: %w", v.Name, err)
		case bool(v.External):
			continue
		}
		warnVolumeDrift(model.Name, key, v, res.Volume.Labels, progress)
	}
	return nil
}

func warnVolumeDrift(project, key string, v types.VolumeConfig, have map[string]string, progress ProgressFunc) {
	switch owner := have[labelProject]; {
	case owner == "":
		progress.report(Progress{Kind: ProgressWarning, Subject: v.Name,
			Text: "volume exists but was not created by compose; set `external: true` to use it on purpose"})
		return
	case owner != project:
		progress.report(Progress{Kind: ProgressWarning, Subject: v.Name,
			Text: fmt.Sprintf("volume was created for project %q; set `external: true` to use it on purpose", owner)})
		return
	}
	want, err := volumeLabels(project, key, v)
	if err != nil || have[labelConfigHash] == "" || have[labelConfigHash] == want[labelConfigHash] {
		return
	}
	progress.report(Progress{Kind: ProgressWarning, Subject: v.Name,
		Text: "volume configuration changed; the volume is kept as it is (remove it with down -v to recreate it, losing its data)"})
}

func (e *Engine) createVolume(ctx context.Context, project, key string, v types.VolumeConfig, progress ProgressFunc) error {
	labels, err := volumeLabels(project, key, v)
	if err != nil {
		return err
	}
	progress.report(Progress{Kind: ProgressCreating, Subject: v.Name})
	_, err = e.api.VolumeCreate(ctx, client.VolumeCreateOptions{
		Name:       v.Name,
		Driver:     v.Driver,
		DriverOpts: v.DriverOpts,
		Labels:     labels,
	})
	if err != nil {
		return fmt.Errorf("create volume %s: %w", v.Name, err)
	}
	progress.report(Progress{Kind: ProgressCreated, Subject: v.Name})
	return nil
}
