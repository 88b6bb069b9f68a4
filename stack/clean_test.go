package stack

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"

	cerrdefs "github.com/containerd/errdefs"
	"github.com/moby/moby/api/types/container"
	"github.com/moby/moby/api/types/image"
	"github.com/moby/moby/api/types/mount"
	"github.com/moby/moby/api/types/volume"
	"github.com/moby/moby/client"
)

const cleanStackV1 = `
services:
  app:
    build: .
    init: true
    command: ["sleep", "1d"]
    volumes:
      - data:/data
      - /cache
    networks: [default, legacy]
  old:
    build:
      context: .
      dockerfile: Dockerfile.old
    init: true
    command: ["sleep", "1d"]
volumes:
  data: {}
networks:
  legacy: {}
`

// v2 drops the service old and the network legacy.
const cleanStackV2 = `
services:
  app:
    build: .
    init: true
    command: ["sleep", "1d"]
    volumes:
      - data:/data
      - /cache
volumes:
  data: {}
`

// cleanDockerfile names the project in its RUN line: the classic builder
// reuses a layer built from the same line (another run of this test at the
// same time), and a shared layer is not what removing the image frees.
func cleanDockerfile(project string, version int) string {
	return fmt.Sprintf("FROM local/busybox\nRUN head -c 300000 /dev/urandom > /blob && echo %s-v%d > /v\n", project, version)
}

// TestCleanFindsAndRemovesOnlyTheStacksLeftovers builds a stack, rebuilds
// it three times, drops a service and a network from its file and leaves a
// Compose one-off run behind, next to another project and unlabelled
// things. clean must list exactly the leftovers with the sizes the engine
// reports, remove them, and touch nothing else; the named volume goes only
// when asked.
func TestCleanFindsAndRemovesOnlyTheStacksLeftovers(t *testing.T) {
	// The classic builder: its dangling images own their layers, so the
	// bytes the engine reclaims can be checked against the plan. Layers of
	// BuildKit builds are also held by the build cache, and an image prune
	// frees less than their size until the cache goes too (see the note of
	// the stop that merged BuildKit and clean).
	t.Setenv("DOCKER_BUILDKIT", "0")
	bin := composeBinary(t)
	s := newTestStack(t, "clean")
	requireFixture(t, s.e, "local/busybox")
	ctx := context.Background()
	removeBuiltAfter(t, s.e, s.Name, nil, s.Name+"-app", s.Name+"-old")
	s.write("Dockerfile.old", "FROM local/busybox\nRUN echo old > /old\n")
	s.write("Dockerfile", cleanDockerfile(s.Name, 1))
	if err := s.e.Up(ctx, s.load(cleanStackV1), UpOptions{Build: true}); err != nil {
		t.Fatalf("up v1: %v", err)
	}
	oldImage, err := s.e.ImageInfo(ctx, s.Name+"-old")
	if err != nil {
		t.Fatal(err)
	}
	var replaced []string
	var p *Project
	for v := 2; v <= 4; v++ {
		before, err := s.e.ImageInfo(ctx, s.Name+"-app")
		if err != nil {
			t.Fatal(err)
		}
		replaced = append(replaced, before.ID)
		s.write("Dockerfile", cleanDockerfile(s.Name, v))
		p = s.load(cleanStackV2)
		if err := s.e.Up(ctx, p, UpOptions{Build: true, RemoveOrphans: true}); err != nil {
			t.Fatalf("rebuild %d: %v", v, err)
		}
	}
	// Down keeps app's anonymous volume, and once its container is gone
	// nothing ties it to the project any more: the test removes it itself.
	anonApp := s.anonVolumeOfApp()
	t.Cleanup(func() { s.e.api.VolumeRemove(context.Background(), anonApp, client.VolumeRemoveOptions{}) })
	// A Compose one-off run that writes into its writable layer and its
	// own anonymous /cache volume, and is not removed.
	s.compose(bin, "run", "-T", "--no-deps", "app", "sh", "-c",
		"head -c 200000 /dev/urandom > /scratch && head -c 100000 /dev/urandom > /cache/c")
	other := newTestStack(t, "cleanother")
	otherOneOff, unlabelled, unlabelledVolume := cleanBystanders(t, other)

	plan, du := planWhileStill(t, s, p)
	checkCleanPlan(t, s, plan, du, replaced, oldImage.ID)
	checkAllProjectsPlan(t, s, other, p, otherOneOff, len(plan.Items))

	res, err := s.e.ApplyClean(ctx, plan, ApplyCleanOptions{})
	if err != nil {
		t.Fatalf("apply: %v", err)
	}
	t.Logf("removed %d items, engine reclaimed %d bytes (plan said %d)", len(res.Removed), res.Reclaimed, plan.Reclaimable(false))
	// The engine measures what it frees itself; it must match the plan.
	if len(res.Removed) != len(plan.Items) || res.Reclaimed != plan.Reclaimable(false) {
		t.Errorf("apply: removed %d items reclaiming %d bytes; want the %d planned ones, %d bytes",
			len(res.Removed), res.Reclaimed, len(plan.Items), plan.Reclaimable(false))
	}
	for _, it := range plan.Items {
		if gone := !s.exists(it); gone != (it.Kind != LeftoverNamedVolume) {
			t.Errorf("after clean without volumes: %s %s gone=%v", it.Kind, it.Name, gone)
		}
	}
	for what, it := range map[string]Leftover{
		"the app container's image":       {Kind: LeftoverStaleImage, ID: s.Name + "-app"},
		"the other project's one-off":     {Kind: LeftoverOneOff, ID: otherOneOff},
		"the other project's volume":      {Kind: LeftoverNamedVolume, ID: other.Name + "_keep"},
		"the unlabelled container":        {Kind: LeftoverOneOff, ID: unlabelled},
		"the unlabelled volume":           {Kind: LeftoverNamedVolume, ID: unlabelledVolume},
		"the app container's anon volume": {Kind: LeftoverNamedVolume, ID: anonApp},
	} {
		if !s.exists(it) {
			t.Errorf("clean removed %s (%s)", what, it.ID)
		}
	}

	again, err := s.e.PlanClean(ctx, CleanTarget{Name: s.Name, Project: p}, CleanOptions{})
	if err != nil {
		t.Fatal(err)
	}
	// The named volume is in use by app until down; nothing is left to do.
	if len(again.Items) != 0 {
		t.Errorf("second plan: got %+v, want nothing (data is in use)", again.Items)
	}
	if err := s.e.Down(ctx, s.Name, p, DownOptions{}); err != nil {
		t.Fatal(err)
	}
	final, err := s.e.PlanClean(ctx, CleanTarget{Name: s.Name, Project: p}, CleanOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if len(final.Items) != 1 || final.Items[0].Kind != LeftoverNamedVolume || final.Items[0].Name != s.Name+"_data" {
		t.Fatalf("plan after down: got %+v, want only the named volume %s_data", final.Items, s.Name)
	}
	if _, err := s.e.ApplyClean(ctx, final, ApplyCleanOptions{Volumes: true}); err != nil {
		t.Fatal(err)
	}
	if s.exists(final.Items[0]) {
		t.Errorf("clean with Volumes kept %s", final.Items[0].Name)
	}
}

// cleanBystanders makes what clean must leave alone: another project with
// a named volume and a stopped one-off container, and an unlabelled
// container with an unlabelled volume.
func cleanBystanders(t *testing.T, other *testStack) (oneOff, unlabelled, volume string) {
	ctx := context.Background()
	if err := other.e.Up(ctx, other.load("services:\n  w:\n    image: local/busybox\n    init: true\n    command: [sleep, 1d]\n    volumes: [keep:/k]\nvolumes:\n  keep: {}\n"), UpOptions{}); err != nil {
		t.Fatal(err)
	}
	c, err := other.e.api.ContainerCreate(ctx, client.ContainerCreateOptions{Image: "local/busybox",
		Config: &container.Config{Cmd: []string{"true"}, Labels: map[string]string{
			labelProject: other.Name, labelService: "w", labelOneOff: "True", labelConfigHash: "x"}}})
	if err != nil {
		t.Fatal(err)
	}
	volume = other.Name + "-unlabelled"
	if _, err := other.e.api.VolumeCreate(ctx, client.VolumeCreateOptions{Name: volume}); err != nil {
		t.Fatal(err)
	}
	u, err := other.e.api.ContainerCreate(ctx, client.ContainerCreateOptions{Image: "local/busybox",
		Config:     &container.Config{Cmd: []string{"true"}},
		HostConfig: &container.HostConfig{Mounts: []mount.Mount{{Type: mount.TypeVolume, Source: volume, Target: "/u"}}}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		other.e.api.ContainerRemove(ctx, u.ID, client.ContainerRemoveOptions{Force: true})
		other.e.api.VolumeRemove(ctx, volume, client.VolumeRemoveOptions{})
	})
	return c.ID, u.ID, volume
}

// checkCleanPlan compares the plan with what the engine itself reports.
// planWhileStill plans the clean between two readings of the engine's disk
// usage that agree on every planned item. Other packages' tests share the
// engine and build, pull and remove images meanwhile, which moves shared
// layer sizes; a plan compared with a reading taken while they did would
// differ for no fault of its own.
func planWhileStill(t *testing.T, s *testStack, p *Project) (CleanPlan, client.DiskUsageResult) {
	t.Helper()
	ctx := context.Background()
	for try := 1; ; try++ {
		before, err := s.e.diskUsage(ctx)
		if err != nil {
			t.Fatal(err)
		}
		plan, err := s.e.PlanClean(ctx, CleanTarget{Name: s.Name, Project: p}, CleanOptions{})
		if err != nil {
			t.Fatal(err)
		}
		after, err := s.e.diskUsage(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if plannedSizes(plan, before) == plannedSizes(plan, after) || try == 5 {
			return plan, after
		}
	}
}

// plannedSizes is what the engine reports for the planned images and
// volumes, as one comparable string.
func plannedSizes(plan CleanPlan, du client.DiskUsageResult) string {
	var b strings.Builder
	for _, it := range plan.Items {
		for _, im := range du.Images.Items {
			if im.ID == it.ID {
				fmt.Fprintf(&b, "%s=%d/%d ", im.ID, im.Size, im.SharedSize)
			}
		}
		for _, v := range du.Volumes.Items {
			if v.Name == it.ID && v.UsageData != nil {
				fmt.Fprintf(&b, "%s=%d ", v.Name, v.UsageData.Size)
			}
		}
	}
	return b.String()
}

func checkCleanPlan(t *testing.T, s *testStack, plan CleanPlan, du client.DiskUsageResult, replaced []string, oldImage string) {
	t.Helper()
	ctx := context.Background()
	byKind := map[LeftoverKind][]Leftover{}
	for _, it := range plan.Items {
		byKind[it.Kind] = append(byKind[it.Kind], it)
		if it.Project != s.Name {
			t.Errorf("item %s %s belongs to %s, want %s", it.Kind, it.Name, it.Project, s.Name)
		}
	}
	var dangling []string
	for _, it := range byKind[LeftoverDanglingImage] {
		dangling = append(dangling, it.ID)
		i := slices.IndexFunc(du.Images.Items, func(im image.Summary) bool { return im.ID == it.ID })
		if i < 0 || it.Size != du.Images.Items[i].Size-du.Images.Items[i].SharedSize || it.Size < 300000 {
			t.Errorf("dangling image %s: size %d, engine's unique size differs or is under the 300 kB the rebuild wrote", it.Name, it.Size)
		}
	}
	slices.Sort(dangling)
	slices.Sort(replaced)
	if !slices.Equal(dangling, replaced) {
		t.Errorf("dangling images: got %v, want the three images the rebuilds replaced %v", dangling, replaced)
	}
	if st := byKind[LeftoverStaleImage]; len(st) != 1 || st[0].ID != oldImage {
		t.Errorf("unused service images: got %+v, want the image of the dropped service old (%s)", st, oldImage)
	}
	if n := byKind[LeftoverNetwork]; len(n) != 1 || n[0].Name != s.Name+"_legacy" {
		t.Errorf("networks: got %+v, want %s_legacy", n, s.Name)
	}
	if v := byKind[LeftoverNamedVolume]; len(v) != 0 {
		t.Errorf("named volumes: got %+v, want none (app still uses data)", v)
	}
	oneOffs := byKind[LeftoverOneOff]
	if len(oneOffs) != 1 {
		t.Fatalf("one-off containers: got %+v, want the compose run container", oneOffs)
	}
	in, err := s.e.api.ContainerInspect(ctx, oneOffs[0].ID, client.ContainerInspectOptions{Size: true})
	if err != nil || in.Container.SizeRw == nil || *in.Container.SizeRw != oneOffs[0].Size || oneOffs[0].Size < 200000 {
		t.Errorf("one-off %s: size %d, want the engine's SizeRw (%v), at least the 200 kB it wrote", oneOffs[0].Name, oneOffs[0].Size, err)
	}
	anon := byKind[LeftoverAnonymousVolume]
	if len(anon) != 1 {
		t.Fatalf("anonymous volumes: got %+v, want the one-off's /cache volume", anon)
	}
	i := slices.IndexFunc(du.Volumes.Items, func(v volume.Volume) bool { return v.Name == anon[0].ID })
	if i < 0 || anon[0].Size != du.Volumes.Items[i].UsageData.Size || anon[0].Size < 100000 {
		t.Errorf("anonymous volume %s: size %d, want the engine's, at least 100 kB", anon[0].Name, anon[0].Size)
	}
	if len(plan.Items) != 7 {
		t.Errorf("got %d items, want 7: %+v", len(plan.Items), plan.Items)
	}
}

// checkAllProjectsPlan plans (never applies: the engine is shared) a clean
// of every project and finds both test projects in it, the other one read
// from the compose file its containers' labels name.
func checkAllProjectsPlan(t *testing.T, s, other *testStack, p *Project, otherOneOff string, ours int) {
	t.Helper()
	all, err := s.e.PlanClean(context.Background(), CleanTarget{Name: s.Name, Project: p}, CleanOptions{AllProjects: true})
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Contains(all.Projects, s.Name) || !slices.Contains(all.Projects, other.Name) {
		t.Errorf("all projects: got %v, want %s and %s among them", all.Projects, s.Name, other.Name)
	}
	n := 0
	for _, it := range all.Items {
		switch it.Project {
		case s.Name:
			n++
		case other.Name:
			if it.ID != otherOneOff {
				t.Errorf("all projects: %s has %s %s, want only its one-off", other.Name, it.Kind, it.Name)
			}
		}
	}
	if n != ours {
		t.Errorf("all projects: %d items of %s, want the %d its own plan has", n, s.Name, ours)
	}
	for _, note := range all.Notes {
		if strings.HasPrefix(note, other.Name+":") {
			t.Errorf("all projects: %s was not loaded from its labels: %s", other.Name, note)
		}
	}
}

// exists reports whether the engine still has the item.
func (s *testStack) exists(it Leftover) bool {
	ctx := context.Background()
	var err error
	switch it.Kind {
	case LeftoverOneOff:
		_, err = s.e.api.ContainerInspect(ctx, it.ID, client.ContainerInspectOptions{})
	case LeftoverAnonymousVolume, LeftoverNamedVolume:
		_, err = s.e.api.VolumeInspect(ctx, it.ID, client.VolumeInspectOptions{})
	case LeftoverDanglingImage, LeftoverStaleImage:
		_, err = s.e.api.ImageInspect(ctx, it.ID)
	case LeftoverNetwork:
		_, err = s.e.api.NetworkInspect(ctx, it.ID, client.NetworkInspectOptions{})
	}
	if err != nil && !cerrdefs.IsNotFound(err) {
		s.t.Fatalf("inspect %s %s: %v", it.Kind, it.ID, err)
	}
	return err == nil
}

// anonVolumeOfApp is the anonymous /cache volume of the app container.
func (s *testStack) anonVolumeOfApp() string {
	cs, err := s.e.listProject(context.Background(), s.Name, true)
	if err != nil {
		s.t.Fatal(err)
	}
	for _, c := range cs {
		for _, m := range c.Mounts {
			if m.Destination == "/cache" {
				return m.Name
			}
		}
	}
	s.t.Fatal("app has no /cache volume")
	return ""
}
