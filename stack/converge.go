package stack

import (
	"slices"
	"sort"
	"strconv"

	"github.com/moby/moby/api/types/container"
	"github.com/moby/moby/api/types/mount"
)

// observed is an existing container of a service as convergence sees it.
type observed struct {
	ID     string
	Name   string
	Number int
	State  container.ContainerState
	Hash   string
	// ImageID is the image the container was created from, per its label.
	ImageID string
	// Networks are the IDs of the networks it is connected to.
	Networks []string
	// Volumes are the names of the named volumes mounted in it.
	Volumes []string
	// Mounts are all its mounts, for a replacement to inherit its
	// anonymous volumes.
	Mounts  []container.MountPoint
	Created int64
	// fresh is set on a container this up created for a new replica (not
	// a replacement, which carries its predecessor's anonymous volumes).
	fresh bool
}

func observedFromSummary(s container.Summary) observed {
	o := observed{
		ID:      s.ID,
		State:   s.State,
		Hash:    s.Labels[labelConfigHash],
		ImageID: s.Labels[labelImage],
		Created: s.Created,
		Mounts:  s.Mounts,
	}
	o.Number, _ = strconv.Atoi(s.Labels[labelNumber])
	if len(s.Names) > 0 {
		o.Name = engineName(s.Names[0])
	}
	if s.NetworkSettings != nil {
		for _, ep := range s.NetworkSettings.Networks {
			if ep != nil {
				o.Networks = append(o.Networks, ep.NetworkID)
			}
		}
	}
	for _, m := range s.Mounts {
		if m.Type == mount.TypeVolume {
			o.Volumes = append(o.Volumes, m.Name)
		}
	}
	return o
}

// recreatePolicy says when existing containers are replaced.
type recreatePolicy int

const (
	// recreateDiverged replaces containers whose configuration, image,
	// networks or volumes no longer match the project.
	recreateDiverged recreatePolicy = iota
	recreateForce
	recreateNever
)

// desired is what a service's containers should look like.
type desired struct {
	Scale   int
	Hash    string
	ImageID string
	// Networks are the IDs of the networks the containers must be on.
	Networks []string
	// Volumes are the names of the named volumes they must mount.
	Volumes []string
	Policy  recreatePolicy
}

// servicePlan is what convergence does to one service's containers.
type servicePlan struct {
	Keep     []observed
	Recreate []observed
	// Remove are the containers beyond the scale: outdated ones first, then
	// the highest numbers.
	Remove []observed
	// Create are the numbers of the containers to create.
	Create []int
}

// changes reports whether the plan touches any container.
func (p servicePlan) changes() bool {
	return len(p.Recreate)+len(p.Remove)+len(p.Create) > 0
}

// planService decides, for one service, which containers stay, which are
// replaced, which go (scaling down removes outdated ones first, then the
// highest numbers) and which numbers are created.
func planService(want desired, have []observed) servicePlan {
	stale := make(map[string]bool, len(have))
	for _, o := range have {
		stale[o.ID] = mustRecreate(want, o)
	}
	sorted := slices.Clone(have)
	sort.SliceStable(sorted, func(i, j int) bool {
		a, b := sorted[i], sorted[j]
		if stale[a.ID] != stale[b.ID] {
			return !stale[a.ID]
		}
		if a.Number != b.Number {
			return a.Number < b.Number
		}
		return a.Created > b.Created
	})
	var p servicePlan
	next := 1
	for i, o := range sorted {
		next = max(next, o.Number+1)
		switch {
		case i >= want.Scale:
			p.Remove = append(p.Remove, o)
		case stale[o.ID]:
			p.Recreate = append(p.Recreate, o)
		default:
			p.Keep = append(p.Keep, o)
		}
	}
	for i := len(sorted); i < want.Scale; i++ {
		p.Create = append(p.Create, next)
		next++
	}
	return p
}

// mustRecreate applies Compose's rules: a container is replaced when its
// config hash or image differs, when it is running without one of the
// service's networks, or when it lacks one of its named volumes.
func mustRecreate(want desired, o observed) bool {
	switch want.Policy {
	case recreateNever:
		return false
	case recreateForce:
		return true
	}
	if o.Hash != want.Hash {
		return true
	}
	if want.ImageID != "" && o.ImageID != want.ImageID {
		return true
	}
	if o.State == container.StateRunning {
		for _, id := range want.Networks {
			if !slices.Contains(o.Networks, id) {
				return true
			}
		}
	}
	for _, v := range want.Volumes {
		if !slices.Contains(o.Volumes, v) {
			return true
		}
	}
	return false
}
