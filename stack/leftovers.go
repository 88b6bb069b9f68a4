package stack

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/moby/moby/api/types/container"
	"github.com/moby/moby/api/types/image"
	"github.com/moby/moby/api/types/volume"
)

// planLeftovers judges one disk snapshot: what each target project left
// behind, and what is left behind but belongs to no project it can name.
func planLeftovers(snap diskSnapshot, targets []CleanTarget) CleanPlan {
	var plan CleanPlan
	removing := map[string]bool{}
	for _, t := range targets {
		plan.Projects = append(plan.Projects, t.Name)
		for _, c := range snap.containers {
			if isStoppedOneOff(c, t.Name) {
				removing[c.ID] = true
				plan.Items = append(plan.Items, Leftover{Kind: LeftoverOneOff, Project: t.Name, ID: c.ID,
					Name: containerName(c), Size: c.SizeRw,
					Why: fmt.Sprintf("one-off container of %s, %s", c.Labels[labelService], strings.ToLower(c.Status))})
			}
		}
	}
	users := volumeUsers(snap.containers)
	for _, t := range targets {
		plan.Items = append(plan.Items, volumeLeftovers(snap.volumes, users, removing, t)...)
		plan.Items = append(plan.Items, imageLeftovers(snap.images, t)...)
		if t.Project == nil {
			plan.Notes = append(plan.Notes, fmt.Sprintf("%s: no compose file, so images of removed services and networks no longer in the file were not looked for", t.Name))
			continue
		}
		plan.Items = append(plan.Items, networkLeftovers(snap, t)...)
	}
	slices.SortStableFunc(plan.Items, func(a, b Leftover) int {
		if c := strings.Compare(a.Project, b.Project); c != 0 {
			return c
		}
		return kindOrder(a.Kind) - kindOrder(b.Kind)
	})
	for _, r := range snap.buildCache {
		plan.BuildCache.Records++
		plan.BuildCache.Size += r.Size
		if !r.InUse {
			plan.BuildCache.Reclaimable += r.Size
		}
	}
	for _, v := range snap.volumes {
		if _, labelled := v.Labels[labelProject]; !labelled && isAnonymousVolume(v) && len(users[v.Name]) == 0 {
			plan.OrphanVolumes++
			plan.OrphanVolumeSize += max(volumeSize(v), 0)
		}
	}
	return plan
}

func kindOrder(k LeftoverKind) int {
	return slices.Index([]LeftoverKind{LeftoverOneOff, LeftoverAnonymousVolume, LeftoverDanglingImage,
		LeftoverStaleImage, LeftoverNetwork, LeftoverNamedVolume}, k)
}

// isStoppedOneOff reports a `compose run` container of the project that
// is not running.
func isStoppedOneOff(c container.Summary, project string) bool {
	if c.Labels[labelProject] != project || c.Labels[labelOneOff] != "True" {
		return false
	}
	switch c.State {
	case container.StateRunning, container.StatePaused, container.StateRestarting:
		return false
	}
	return true
}

// volumeUsers maps each volume to the containers that mount it, stopped
// ones included: the engine refuses to remove a volume any of them uses.
func volumeUsers(cs []container.Summary) map[string][]container.Summary {
	users := map[string][]container.Summary{}
	for _, c := range cs {
		for _, m := range c.Mounts {
			if m.Type == "volume" && m.Name != "" {
				users[m.Name] = append(users[m.Name], c)
			}
		}
	}
	return users
}

// volumeLeftovers are the project's volumes that no container keeps:
// anonymous ones (labelled with the project, or used only by one-off
// containers clean removes) and named ones.
func volumeLeftovers(vs []volume.Volume, users map[string][]container.Summary, removing map[string]bool, t CleanTarget) []Leftover {
	var out []Leftover
	for _, v := range vs {
		us := users[v.Name]
		if slices.ContainsFunc(us, func(c container.Summary) bool { return !removing[c.ID] }) {
			continue
		}
		owned := v.Labels[labelProject] == t.Name
		switch {
		case isAnonymousVolume(v) && (owned || len(us) > 0 && us[0].Labels[labelProject] == t.Name):
			why := "no container uses it"
			if len(us) > 0 {
				why = "used only by one-off container " + containerName(us[0]) + ", removed with it"
			}
			out = append(out, Leftover{Kind: LeftoverAnonymousVolume, Project: t.Name, ID: v.Name,
				Name: shortID(v.Name), Size: volumeSize(v), Why: why})
		case owned && v.Labels[labelVolume] != "":
			out = append(out, Leftover{Kind: LeftoverNamedVolume, Project: t.Name, ID: v.Name,
				Name: v.Name, Size: volumeSize(v), Why: namedVolumeWhy(t.Project, v.Labels[labelVolume])})
		}
	}
	return out
}

func namedVolumeWhy(p *Project, key string) string {
	switch {
	case p == nil:
		return "volume " + key + " of the project; no container uses it"
	case slices.Contains(p.Volumes, key):
		return "declared as " + key + " in the file; no container uses it (its data goes with it)"
	}
	return "volume " + key + " is no longer in the file"
}

// imageLeftovers are the project's images no container uses: dangling
// ones its rebuilds left, and tagged ones of services the file no longer
// has or no longer builds under that name.
func imageLeftovers(ims []image.Summary, t CleanTarget) []Leftover {
	var out []Leftover
	for _, im := range ims {
		if im.Labels[labelProject] != t.Name || im.Containers > 0 {
			continue
		}
		svc := im.Labels[labelService]
		if isDangling(im) {
			why := "left untagged by a rebuild of " + svc
			if svc == "" {
				// the classic builder's step before the service label
				why = "left untagged by a build of the project"
			}
			out = append(out, Leftover{Kind: LeftoverDanglingImage, Project: t.Name, ID: im.ID,
				Name: shortID(im.ID), Size: uniqueSize(im), Why: why})
			continue
		}
		if why := staleImageWhy(t.Project, svc, im.RepoTags); why != "" {
			out = append(out, Leftover{Kind: LeftoverStaleImage, Project: t.Name, ID: im.ID,
				Name: strings.Join(im.RepoTags, ", "), Tags: im.RepoTags, Size: uniqueSize(im), Why: why})
		}
	}
	return out
}

// staleImageWhy says why a built image no longer serves its service, or
// "" when it still does (or there is no file to judge by).
func staleImageWhy(p *Project, svc string, tags []string) string {
	if p == nil || svc == "" {
		return ""
	}
	s, ok := p.Service(svc)
	if !ok {
		if declares(p, svc) {
			return "" // switched off by a profile, still in the file
		}
		return "service " + svc + " is no longer in the file"
	}
	want := withLatest(s.Image)
	for _, tag := range tags {
		if withLatest(tag) == want {
			return ""
		}
	}
	return "service " + svc + " now uses " + want
}

// withLatest adds the :latest tag a reference without one means.
func withLatest(ref string) string {
	if i := strings.LastIndex(ref, ":"); i > strings.LastIndex(ref, "/") || strings.Contains(ref, "@") {
		return ref
	}
	return ref + ":latest"
}

// networkLeftovers are the project's networks that the file no longer
// declares and no container is attached to.
func networkLeftovers(snap diskSnapshot, t CleanTarget) []Leftover {
	attached := map[string]bool{}
	for _, c := range snap.containers {
		if c.NetworkSettings != nil {
			for name := range c.NetworkSettings.Networks {
				attached[name] = true
			}
		}
	}
	var out []Leftover
	for _, n := range snap.networks {
		key := n.Labels[labelNetwork]
		if n.Labels[labelProject] != t.Name || key == "" || slices.Contains(t.Project.Networks, key) || attached[n.Name] {
			continue
		}
		out = append(out, Leftover{Kind: LeftoverNetwork, Project: t.Name, ID: n.ID, Name: n.Name,
			Why: "network " + key + " is no longer in the file"})
	}
	return out
}

// allTargets is every compose project on the engine, each with its compose
// files loaded from its containers' labels when they still load.
func (e *Engine) allTargets(ctx context.Context, snap diskSnapshot, current CleanTarget) []CleanTarget {
	var out []CleanTarget
	for _, name := range snap.projectNames() {
		if name == current.Name && current.Project != nil {
			out = append(out, current)
			continue
		}
		out = append(out, CleanTarget{Name: name, Project: loadFromLabels(ctx, snap.containers, name)})
	}
	return out
}

// loadFromLabels loads a project from the compose files and folder its
// containers' labels name; nil when none does or the files no longer load.
func loadFromLabels(ctx context.Context, cs []container.Summary, name string) *Project {
	for _, c := range cs {
		files := c.Labels[labelConfigFiles]
		if c.Labels[labelProject] != name || files == "" {
			continue
		}
		p, err := Load(ctx, LoadOptions{Files: strings.Split(files, ","), WorkingDir: c.Labels[labelWorkingDir], ProjectName: name})
		if err == nil {
			return p
		}
	}
	return nil
}
