package stack

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"testing"

	"github.com/compose-spec/compose-go/v2/types"
	"github.com/moby/moby/api/types/container"
	"github.com/moby/moby/api/types/mount"
	"github.com/moby/moby/api/types/network"
)

// fakeInventory is a hand-written inventory: the project's containers as
// the engine would list them, and the volumes that exist (name → labels).
type fakeInventory struct {
	containers []container.Summary
	volumes    map[string]map[string]string
	err        error
}

func (f fakeInventory) listProject(_ context.Context, _ string, _ bool) ([]container.Summary, error) {
	return f.containers, f.err
}

func (f fakeInventory) existingVolume(_ context.Context, name string) (map[string]string, bool, error) {
	labels, ok := f.volumes[name]
	return labels, ok, f.err
}

// summary is a container as the engine lists it: Compose's labels, the
// networks it is on and its named volumes.
func summary(project, service string, n int, hash, image string, state container.ContainerState, networks, volumes []string) container.Summary {
	s := container.Summary{
		ID:    fmt.Sprintf("%s-%d-id", service, n),
		Names: []string{fmt.Sprintf("/%s-%s-%d", project, service, n)},
		Labels: map[string]string{labelProject: project, labelService: service, labelNumber: strconv.Itoa(n),
			labelConfigHash: hash, labelImage: image, labelOneOff: "False"},
		State:           state,
		NetworkSettings: &container.NetworkSettingsSummary{Networks: map[string]*network.EndpointSettings{}},
	}
	for _, id := range networks {
		s.NetworkSettings.Networks[id] = &network.EndpointSettings{NetworkID: id}
	}
	for _, v := range volumes {
		s.Mounts = append(s.Mounts, container.MountPoint{Type: mount.TypeVolume, Name: v})
	}
	return s
}

const planStack = `
services:
  web:
    image: local/busybox
    command: [sleep, 1d]
    deploy: {replicas: 3}
  db:
    image: local/busybox
    command: [sleep, 1d]
    volumes: [data:/data]
  cache:
    image: local/busybox
    command: [sleep, 1d]
  worker:
    image: local/busybox
    command: [sleep, 1d]
  debug:
    image: local/busybox
    profiles: [debug]
volumes:
  data: {}
`

// TestPlanProjectFromInventory plans an up from what a fake engine lists,
// without an engine: every reason to keep, recreate, create or remove a
// container, read from the labels, networks and mounts the engine reports.
func TestPlanProjectFromInventory(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, filepath.Join(dir, "compose.yaml"), planStack)
	unsetEnv(t, "COMPOSE_FILE", "COMPOSE_PROFILES", "COMPOSE_PROJECT_NAME")
	const project = "plan"
	p, err := Load(context.Background(), LoadOptions{WorkingDir: dir, ProjectName: project})
	if err != nil {
		t.Fatal(err)
	}
	model, err := upModel(p, UpOptions{}, false)
	if err != nil {
		t.Fatal(err)
	}
	hash := func(svc string) string { s, _ := p.Service(svc); return s.Hash }
	const net, img = "net-default-id", "sha256:busybox"
	run := container.StateRunning
	inv := fakeInventory{containers: []container.Summary{
		// web: one up-to-date replica of three.
		summary(project, "web", 2, hash("web"), img, run, []string{net}, nil),
		// db: up to date, but its named volume is not mounted.
		summary(project, "db", 1, hash("db"), img, run, []string{net}, nil),
		// cache: its configuration changed since it was created.
		summary(project, "cache", 1, "old-hash", img, run, []string{net}, nil),
		// worker: up to date, plus a second replica beyond its scale.
		summary(project, "worker", 1, hash("worker"), img, run, []string{net}, nil),
		summary(project, "worker", 2, hash("worker"), img, run, []string{net}, nil),
		// debug: switched off by its profile, so not an orphan.
		summary(project, "debug", 1, "x", img, container.StateExited, nil, nil),
		// gone: a service the file no longer has.
		summary(project, "gone", 1, "x", img, run, []string{net}, nil),
	}}
	byService, orphans, err := observeProject(context.Background(), inv, p, project, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(orphans) != 1 || orphans[0].Name != "plan-gone-1" {
		t.Errorf("orphans: got %+v, want plan-gone-1 only", orphans)
	}
	r := &upRun{project: p, model: model, observed: byService, current: map[string][]observed{},
		networks: map[string]string{"default": net},
		images:   map[string]string{"web": img, "db": img, "cache": img, "worker": img}}
	type summaryPlan struct {
		Keep, Recreate, Remove []string
		Create                 []int
	}
	names := func(os []observed) []string {
		var out []string
		for _, o := range os {
			out = append(out, o.Name)
		}
		return out
	}
	want := map[string]summaryPlan{
		"web":    {Keep: []string{"plan-web-2"}, Create: []int{3, 4}},
		"db":     {Recreate: []string{"plan-db-1"}},
		"cache":  {Recreate: []string{"plan-cache-1"}},
		"worker": {Keep: []string{"plan-worker-1"}, Remove: []string{"plan-worker-2"}},
	}
	for svc, w := range want {
		_, _, plan, err := r.planFor(svc)
		if err != nil {
			t.Fatalf("%s: %v", svc, err)
		}
		got := summaryPlan{names(plan.Keep), names(plan.Recreate), names(plan.Remove), plan.Create}
		if !reflect.DeepEqual(got, w) {
			t.Errorf("%s: got %+v, want %+v", svc, got, w)
		}
	}

	// A new image for worker replaces its container.
	r.images["worker"] = "sha256:rebuilt"
	if _, _, plan, _ := r.planFor("worker"); len(plan.Recreate) != 1 {
		t.Errorf("worker with a new image: got %+v, want its container recreated", plan)
	}
	// The network was recreated under a new ID: running containers move.
	r.networks["default"] = "net-new-id"
	if _, _, plan, _ := r.planFor("cache"); len(plan.Recreate) != 1 {
		t.Errorf("cache after its network changed: got %+v, want a recreate", plan)
	}

	boom := errors.New("engine gone")
	if _, _, err := observeProject(context.Background(), fakeInventory{err: boom}, p, project, nil); !errors.Is(err, boom) {
		t.Errorf("a failed listing: got %v, want it passed on", err)
	}
}

// TestPlanVolumes: a missing volume is created, a missing external one is
// an error saying how to create it, and an existing one is kept, with a
// warning when another project owns it or its configuration changed.
func TestPlanVolumes(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, filepath.Join(dir, "compose.yaml"), `
services:
  app: {image: local/busybox, volumes: [data:/a, ext:/b, cache:/c, shared:/d]}
volumes:
  data: {}
  ext: {external: true}
  cache: {labels: {tier: cache}}
  shared: {}
`)
	unsetEnv(t, "COMPOSE_FILE", "COMPOSE_PROFILES", "COMPOSE_PROJECT_NAME")
	p, err := Load(context.Background(), LoadOptions{WorkingDir: dir, ProjectName: "vols"})
	if err != nil {
		t.Fatal(err)
	}
	model := p.model.project
	oldCache, _ := volumeLabels("vols", "cache", types.VolumeConfig{Name: "vols_cache"})
	inv := fakeInventory{volumes: map[string]map[string]string{
		"vols_cache":  oldCache, // created before the labels were added
		"vols_shared": {labelProject: "other"},
	}}
	cases := []struct {
		key     string
		create  bool
		err     string
		warning string
	}{
		{"data", true, "", ""},
		{"ext", false, "docker volume create ext", ""},
		{"cache", false, "", "volume configuration changed"},
		{"shared", false, "", `created for project "other"`},
	}
	for _, c := range cases {
		var log progressLog
		create, err := planVolume(context.Background(), inv, model, c.key, log.report)
		if create != c.create || (err == nil) != (c.err == "") || (err != nil && !strings.Contains(err.Error(), c.err)) {
			t.Errorf("%s: got create=%v err=%v, want create=%v err containing %q", c.key, create, err, c.create, c.err)
		}
		warnings := strings.Join(log.texts(ProgressWarning), "; ")
		if (c.warning == "") != (warnings == "") || !strings.Contains(warnings, c.warning) {
			t.Errorf("%s: warnings %q, want %q", c.key, warnings, c.warning)
		}
	}
}
