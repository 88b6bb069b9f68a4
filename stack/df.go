package stack

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/moby/moby/api/types/container"
	"github.com/moby/moby/api/types/image"
)

// DiskImage is one image a project built or runs, as `docker system df -v`
// lists it.
type DiskImage struct {
	ID         string
	Tags       []string
	Created    time.Time
	Size       int64
	SharedSize int64
	// UniqueSize is what removing the image alone would free.
	UniqueSize int64
	// Containers counts the containers (any project's) that use it.
	Containers int
	// Shared is set when containers of other projects use it too, or
	// another project built it: it then does not count in the project's Total.
	Shared bool
}

// DiskContainer is one container of a project and its writable layer.
type DiskContainer struct {
	ID, Name, Image, Command string
	// LocalVolumes counts its volume mounts.
	LocalVolumes int
	// Size is the container's writable layer.
	Size    int64
	Created time.Time
	Status  string
}

// DiskVolume is one volume of a project.
type DiskVolume struct {
	Name string
	// Links counts the containers that mount it.
	Links int
	// Size is -1 when the engine did not measure it.
	Size int64
}

// ProjectDisk is the disk one compose project uses.
type ProjectDisk struct {
	Name       string
	Images     []DiskImage
	Containers []DiskContainer
	Volumes    []DiskVolume
	// Total is the disk the project alone holds: unique sizes of the images
	// only it uses, writable layers, volumes.
	Total int64
}

// DiskReport is the engine's disk usage grouped by compose project, with
// the build cache apart: its records carry no project label.
type DiskReport struct {
	Projects   []ProjectDisk
	BuildCache BuildCacheUsage
}

// DiskOptions shape DiskUsage.
type DiskOptions struct {
	// Projects restricts the report to these projects (all when empty).
	Projects []string
}

// DiskUsage reports the disk each compose project on the engine uses, the
// way `docker system df -v` does, grouped by project.
func (e *Engine) DiskUsage(ctx context.Context, opts DiskOptions) (DiskReport, error) {
	snap, err := e.readDisk(ctx)
	if err != nil {
		return DiskReport{}, err
	}
	names := opts.Projects
	if len(names) == 0 {
		names = snap.projectNames()
	}
	var rep DiskReport
	for _, name := range names {
		rep.Projects = append(rep.Projects, projectDisk(snap, name))
	}
	rep.BuildCache = planLeftovers(diskSnapshot{buildCache: snap.buildCache}, nil).BuildCache
	return rep, nil
}

// StackDisk is the header figure of a stack: the disk it uses and what
// clean (without named volumes) would free.
type StackDisk struct {
	Used        int64
	Reclaimable int64
}

// StackDisk measures one project's disk and its leftovers from one
// snapshot of the engine's disk usage. It costs what `docker system df`
// costs, so callers refresh it on a timer or after a change, not per frame.
func (e *Engine) StackDisk(ctx context.Context, target CleanTarget) (StackDisk, error) {
	snap, err := e.readDisk(ctx)
	if err != nil {
		return StackDisk{}, fmt.Errorf("disk of %s: %w", target.Name, err)
	}
	return StackDisk{
		Used:        projectDisk(snap, target.Name).Total,
		Reclaimable: planLeftovers(snap, []CleanTarget{target}).Reclaimable(false),
	}, nil
}

// projectDisk picks the project's containers, their images and the
// project's own images, and its volumes (labelled, or mounted by its
// containers).
func projectDisk(snap diskSnapshot, name string) ProjectDisk {
	pd := ProjectDisk{Name: name}
	mine := map[string]bool{}   // image IDs the project's containers use
	others := map[string]bool{} // image IDs other containers use
	mounted := map[string]int{} // volume → the project's containers mounting it
	for _, c := range snap.containers {
		if c.Labels[labelProject] != name {
			others[c.ImageID] = true
			continue
		}
		mine[c.ImageID] = true
		pd.Containers = append(pd.Containers, diskContainer(c))
		pd.Total += c.SizeRw
		for _, m := range c.Mounts {
			if m.Type == "volume" && m.Name != "" {
				mounted[m.Name]++
			}
		}
	}
	for _, im := range snap.images {
		owner, built := im.Labels[labelProject]
		if !mine[im.ID] && owner != name {
			continue
		}
		di := diskImage(im)
		di.Shared = others[im.ID] || built && owner != name
		if !di.Shared {
			pd.Total += di.UniqueSize
		}
		pd.Images = append(pd.Images, di)
	}
	users := volumeUsers(snap.containers)
	for _, v := range snap.volumes {
		if v.Labels[labelProject] != name && mounted[v.Name] == 0 {
			continue
		}
		pd.Volumes = append(pd.Volumes, DiskVolume{Name: v.Name, Links: len(users[v.Name]), Size: volumeSize(v)})
		pd.Total += max(volumeSize(v), 0)
	}
	slices.SortFunc(pd.Containers, func(a, b DiskContainer) int { return strings.Compare(a.Name, b.Name) })
	return pd
}

func diskImage(im image.Summary) DiskImage {
	var tags []string
	for _, t := range im.RepoTags {
		if t != "<none>:<none>" {
			tags = append(tags, t)
		}
	}
	return DiskImage{ID: im.ID, Tags: tags, Created: time.Unix(im.Created, 0), Size: im.Size,
		SharedSize: im.SharedSize, UniqueSize: uniqueSize(im), Containers: int(max(im.Containers, 0))}
}

func diskContainer(c container.Summary) DiskContainer {
	n := 0
	for _, m := range c.Mounts {
		if m.Type == "volume" {
			n++
		}
	}
	return DiskContainer{ID: c.ID, Name: containerName(c), Image: c.Image, Command: c.Command,
		LocalVolumes: n, Size: c.SizeRw, Created: time.Unix(c.Created, 0), Status: c.Status}
}
