package stack

import (
	"context"
	"errors"
	"fmt"

	cerrdefs "github.com/containerd/errdefs"
	"github.com/moby/moby/client"
)

// LeftoverKind is a kind of thing a stack leaves behind on the engine.
type LeftoverKind string

// The kinds of leftover clean finds, in the order it lists and removes them.
const (
	LeftoverOneOff          LeftoverKind = "one-off container"
	LeftoverAnonymousVolume LeftoverKind = "anonymous volume"
	LeftoverDanglingImage   LeftoverKind = "dangling image"
	LeftoverStaleImage      LeftoverKind = "unused service image"
	LeftoverNetwork         LeftoverKind = "network"
	LeftoverNamedVolume     LeftoverKind = "named volume"
)

// Leftover is one thing a project left behind that clean can remove.
type Leftover struct {
	Kind    LeftoverKind
	Project string
	// ID is what removal uses: container ID, volume name, image ID, network ID.
	ID string
	// Name is what a person reads: container or volume name, image tags or
	// short ID, network name.
	Name string
	// Tags are an unused service image's tags, which removal untags one by one.
	Tags []string
	// Size is the disk the item alone holds, as the engine measures it
	// (an image's unique size, a container's writable layer, a volume's
	// folder); -1 when the engine measured nothing.
	Size int64
	// Why says what makes it a leftover.
	Why string
}

// BuildCacheUsage is the engine's BuildKit build cache, engine-wide.
type BuildCacheUsage struct {
	Records int
	Size    int64
	// Reclaimable is the part no build is using right now.
	Reclaimable int64
}

// CleanPlan is what clean found: the leftovers it can attribute to the
// projects, and what it found but cannot attribute to any project.
type CleanPlan struct {
	Projects []string
	Items    []Leftover
	// BuildCache is the engine's whole BuildKit cache: its records carry no
	// project label, so no part of it can be charged to one project.
	BuildCache BuildCacheUsage
	// OrphanVolumes counts the unused anonymous volumes no project's label
	// or container claims (the engine keeps no owner for them once their
	// container is gone), and OrphanVolumeSize their size.
	OrphanVolumes    int
	OrphanVolumeSize int64
	// Notes say what could not be checked and why.
	Notes []string
}

// Reclaimable sums the sizes of the items, named volumes only when asked.
func (p CleanPlan) Reclaimable(volumes bool) int64 {
	var n int64
	for _, it := range p.Items {
		if it.Size > 0 && (volumes || it.Kind != LeftoverNamedVolume) {
			n += it.Size
		}
	}
	return n
}

// CleanTarget is a project to clean: its name and, when known, its loaded
// compose files (nil: only what labels alone tell is judged).
type CleanTarget struct {
	Name    string
	Project *Project
}

// CleanOptions shape PlanClean.
type CleanOptions struct {
	// AllProjects cleans every compose project on the engine; each is read
	// from the compose files its containers' labels name, when they load.
	AllProjects bool
}

// PlanClean finds what the project (or, with AllProjects, every compose
// project on the engine) has left behind and how much disk each item
// holds. It removes nothing.
func (e *Engine) PlanClean(ctx context.Context, target CleanTarget, opts CleanOptions) (CleanPlan, error) {
	snap, err := e.readDisk(ctx)
	if err != nil {
		return CleanPlan{}, fmt.Errorf("clean %s: %w", target.Name, err)
	}
	targets := []CleanTarget{target}
	if opts.AllProjects {
		targets = e.allTargets(ctx, snap, target)
	}
	return planLeftovers(snap, targets), nil
}

// ApplyCleanOptions shape ApplyClean.
type ApplyCleanOptions struct {
	// Volumes removes the plan's named volumes too; without it they stay.
	Volumes bool
	// BuildCache prunes the engine's unused build cache, every project's.
	BuildCache bool
	// Progress hears of each item removed.
	Progress ProgressFunc
}

// CleanResult is what ApplyClean removed and the disk the engine freed.
type CleanResult struct {
	Removed   []Leftover
	Reclaimed int64
}

// ApplyClean removes the plan's items: one-off containers first (their
// anonymous volumes with them), then volumes, images and networks. Named
// volumes go only with Volumes. An item already gone counts as removed; an
// item the engine refuses (now in use) is reported in the error and the
// rest still goes.
func (e *Engine) ApplyClean(ctx context.Context, plan CleanPlan, opts ApplyCleanOptions) (CleanResult, error) {
	var res CleanResult
	var errs []error
	pruned := map[string]bool{}
	for _, it := range plan.Items {
		if it.Kind == LeftoverNamedVolume && !opts.Volumes {
			continue
		}
		if it.Kind == LeftoverDanglingImage {
			if err := e.pruneDangling(ctx, plan, it.Project, pruned, &res); err != nil {
				errs = append(errs, err)
			}
			continue
		}
		opts.Progress.report(Progress{Kind: ProgressRemoving, Subject: it.Name, Text: string(it.Kind)})
		if err := e.removeLeftover(ctx, it); err != nil && !cerrdefs.IsNotFound(err) {
			errs = append(errs, fmt.Errorf("remove %s %s: %w", it.Kind, it.Name, err))
			continue
		}
		opts.Progress.report(Progress{Kind: ProgressRemoved, Subject: it.Name, Text: string(it.Kind)})
		res.Removed = append(res.Removed, it)
		res.Reclaimed += max(it.Size, 0)
	}
	if opts.BuildCache {
		rep, err := e.api.BuildCachePrune(ctx, client.BuildCachePruneOptions{All: true})
		if err != nil {
			errs = append(errs, fmt.Errorf("prune build cache: %w", err))
		} else {
			res.Reclaimed += int64(rep.Report.SpaceReclaimed)
		}
	}
	if err := errors.Join(errs...); err != nil {
		return res, fmt.Errorf("clean: %w", err)
	}
	return res, nil
}

// pruneDangling removes a project's dangling images once, through
// PruneImages, and records what went with the space the engine freed.
func (e *Engine) pruneDangling(ctx context.Context, plan CleanPlan, project string, done map[string]bool, res *CleanResult) error {
	if done[project] {
		return nil
	}
	done[project] = true
	removed, reclaimed, err := e.PruneImages(ctx, project, PruneOptions{})
	if err != nil {
		return err
	}
	planned := map[string]Leftover{}
	for _, it := range plan.Items {
		planned[it.ID] = it
	}
	for _, im := range removed {
		it, ok := planned[im.ID]
		if !ok {
			// turned dangling after the plan was made, by a rebuild
			it = Leftover{Kind: LeftoverDanglingImage, Project: project, ID: im.ID, Name: shortID(im.ID), Size: im.Size}
		}
		res.Removed = append(res.Removed, it)
	}
	res.Reclaimed += reclaimed
	return nil
}

// removeLeftover removes one item, never forcing: the engine refuses what
// something still uses.
func (e *Engine) removeLeftover(ctx context.Context, it Leftover) error {
	var err error
	switch it.Kind {
	case LeftoverOneOff:
		_, err = e.api.ContainerRemove(ctx, it.ID, client.ContainerRemoveOptions{RemoveVolumes: true})
	case LeftoverAnonymousVolume, LeftoverNamedVolume:
		_, err = e.api.VolumeRemove(ctx, it.ID, client.VolumeRemoveOptions{})
	case LeftoverStaleImage:
		for _, tag := range it.Tags {
			if _, err = e.api.ImageRemove(ctx, tag, client.ImageRemoveOptions{PruneChildren: true}); err != nil && !cerrdefs.IsNotFound(err) {
				return err
			}
		}
	case LeftoverNetwork:
		_, err = e.api.NetworkRemove(ctx, it.ID, client.NetworkRemoveOptions{})
	default:
		err = fmt.Errorf("unknown kind of leftover")
	}
	return err
}
