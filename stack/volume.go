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
		create, err := planVolume(ctx, e, model, key, progress)
		if err != nil {
			return err
		}
		if create {
			if err := e.createVolume(ctx, model.Name, key, model.Volumes[key], progress); err != nil {
				return err
			}
		}
	}
	return nil
}

// planVolume decides, from what inv reports, whether the volume under key
// must be created; an external volume that is missing is an error, and an
// existing one whose owner or configuration differs gets a warning.
func planVolume(ctx context.Context, inv inventory, model *types.Project, key string, progress ProgressFunc) (create bool, err error) {
	v, ok := model.Volumes[key]
	if !ok {
		return false, fmt.Errorf("volume %s is not declared in the project", key)
	}
	labels, found, err := inv.existingVolume(ctx, v.Name)
	switch {
	case err != nil:
		return false, err
	case !found && bool(v.External):
		return false, fmt.Errorf("volume %s is declared as external, but could not be found: create it with `docker volume create %s`", v.Name, v.Name)
	case !found:
		return true, nil
	case !bool(v.External):
		warnVolumeDrift(model.Name, key, v, labels, progress)
	}
	return false, nil
}

// existingVolume returns the labels of the volume with that name, and
// whether it exists.
func (e *Engine) existingVolume(ctx context.Context, name string) (map[string]string, bool, error) {
	res, err := e.api.VolumeInspect(ctx, name, client.VolumeInspectOptions{})
	switch {
	case cerrdefs.IsNotFound(err):
		return nil, false, nil
	case err != nil:
		return nil, false, fmt.Errorf("inspect volume %s: %w", name, err)
	}
	return res.Volume.Labels, true, nil
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
