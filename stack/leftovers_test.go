package stack

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/moby/moby/api/types/container"
	"github.com/moby/moby/api/types/image"
	"github.com/moby/moby/api/types/network"
	"github.com/moby/moby/api/types/volume"
)

func TestCombinedStatusWordsLikeCompose(t *testing.T) {
	for _, tc := range []struct {
		states map[State]int
		want   string
	}{
		{map[State]int{StateRunning: 2}, "running(2)"},
		{map[State]int{StateRunning: 2, StateExited: 1}, "exited(1), running(2)"},
		{map[State]int{StateCreated: 1, StatePaused: 1, StateExited: 3}, "created(1), exited(3), paused(1)"},
	} {
		if got := combinedStatus(tc.states); got != tc.want {
			t.Errorf("combinedStatus(%v): got %q, want %q", tc.states, got, tc.want)
		}
	}
}

func TestSummarizeProjectsConfigFiles(t *testing.T) {
	cs := []container.Summary{
		{State: "running", Labels: map[string]string{labelProject: "a", labelConfigFiles: "/a/compose.yaml,/a/override.yaml"}},
		{State: "exited", Labels: map[string]string{labelProject: "a", labelConfigFiles: "/a/compose.yaml"}},
		{State: "running", Labels: map[string]string{labelProject: "b"}},
	}
	got := summarizeProjects(cs)
	if len(got) != 2 || got[0].Name != "a" || got[0].Status != "exited(1), running(1)" ||
		len(got[0].ConfigFiles) != 2 || got[0].ConfigFiles[1] != "/a/override.yaml" {
		t.Errorf("project a: got %+v", got)
	}
	if len(got) == 2 && got[1].ConfigFiles != nil {
		t.Errorf("project b has a container without the config-files label: got %v, want nil (compose's N/A)", got[1].ConfigFiles)
	}
}

func TestMatchesNameLikeComposeFilter(t *testing.T) {
	for _, tc := range []struct {
		patterns []string
		name     string
		want     bool
	}{
		{nil, "x", true},
		{[]string{"shop"}, "shop", true},
		{[]string{"^sh"}, "shop", true},
		{[]string{"op$"}, "shopping", false},
		{[]string{"("}, "(", true},
		{[]string{"("}, "a(", false},
	} {
		if got := matchesName(tc.patterns, tc.name); got != tc.want {
			t.Errorf("matchesName(%q, %q): got %v, want %v", tc.patterns, tc.name, got, tc.want)
		}
	}
}

func TestStaleImageWhy(t *testing.T) {
	p := &Project{
		Services: []Service{{Name: "app", Image: "shop-app"}, {Name: "web", Image: "reg.local:5000/web"}},
		Inactive: []Service{{Name: "debug", Image: "shop-debug"}},
	}
	for _, tc := range []struct {
		svc  string
		tags []string
		want string
	}{
		{"app", []string{"shop-app:latest"}, ""},
		{"web", []string{"reg.local:5000/web:latest"}, ""},
		{"app", []string{"shop-app:v1"}, "service app now uses shop-app:latest"},
		{"gone", []string{"shop-gone:latest"}, "service gone is no longer in the file"},
		{"debug", []string{"shop-debug:latest"}, ""},
	} {
		if got := staleImageWhy(p, tc.svc, tc.tags); got != tc.want {
			t.Errorf("staleImageWhy(%s, %v): got %q, want %q", tc.svc, tc.tags, got, tc.want)
		}
	}
	if got := staleImageWhy(nil, "app", []string{"x:1"}); got != "" {
		t.Errorf("without a project: got %q, want nothing judged", got)
	}
}

// TestPlanLeftoversJudgesASnapshot covers the cases an engine run does not
// reach: what is still in use stays, a project without a file gets a note
// instead of guesses, and unlabelled things are counted, never listed.
func TestPlanLeftoversJudgesASnapshot(t *testing.T) {
	anon := func(c byte) string { return strings.Repeat(string(c), 64) }
	lbl := func(kv ...string) map[string]string {
		m := map[string]string{labelProject: "shop"}
		for i := 0; i+1 < len(kv); i += 2 {
			m[kv[i]] = kv[i+1]
		}
		return m
	}
	vol := func(name string, labels map[string]string, size int64) volume.Volume {
		return volume.Volume{Name: name, Labels: labels, UsageData: &volume.UsageData{Size: size}}
	}
	snap := diskSnapshot{
		containers: []container.Summary{
			{ID: "run-live", Names: []string{"/shop-app-run-1"}, State: "running", Labels: lbl(labelOneOff, "True")},
			{ID: "run-done", Names: []string{"/shop-app-run-2"}, State: "exited", SizeRw: 7, Labels: lbl(labelOneOff, "True", labelService, "app"),
				Mounts: []container.MountPoint{{Type: "volume", Name: anon('b')}}},
			{ID: "app", Names: []string{"/shop-app-1"}, State: "exited", Labels: lbl(labelOneOff, "False"),
				Mounts:          []container.MountPoint{{Type: "volume", Name: anon('a')}, {Type: "volume", Name: "shop_data"}},
				NetworkSettings: &container.NetworkSettingsSummary{Networks: map[string]*network.EndpointSettings{"shop_busy": {}}}},
		},
		volumes: []volume.Volume{
			vol(anon('a'), nil, 1),                          // the stopped app container keeps it
			vol(anon('b'), nil, 2),                          // only the finished one-off uses it
			vol(anon('c'), nil, 3),                          // nobody's: counted apart
			vol("shop_data", lbl(labelVolume, "data"), 4),   // in use
			vol("shop_cache", lbl(labelVolume, "cache"), 5), // free
			vol("other_x", map[string]string{labelProject: "other", labelVolume: "x"}, 6),
		},
		images: []image.Summary{
			{ID: "sha256:dangling", RepoTags: nil, Size: 10, SharedSize: 4, Labels: lbl(labelService, "app")},
			{ID: "sha256:inuse", RepoTags: nil, Size: 10, Containers: 1, Labels: lbl(labelService, "app")},
			{ID: "sha256:gone", RepoTags: []string{"shop-gone:latest"}, Size: 10, SharedSize: -1, Labels: lbl(labelService, "gone")},
		},
		networks: []network.Summary{
			{Network: network.Network{ID: "n1", Name: "shop_old", Labels: lbl(labelNetwork, "old")}},
			{Network: network.Network{ID: "n2", Name: "shop_busy", Labels: lbl(labelNetwork, "busy")}},
			{Network: network.Network{ID: "n3", Name: "shop_default", Labels: lbl(labelNetwork, "default")}},
		},
	}
	p := &Project{Name: "shop", Services: []Service{{Name: "app", Image: "shop-app"}}, Networks: []string{"default"}, Volumes: []string{"data"}}
	plan := planLeftovers(snap, []CleanTarget{{Name: "shop", Project: p}})
	var got []string
	for _, it := range plan.Items {
		got = append(got, fmt.Sprintf("%s %s %d", it.Kind, it.ID, it.Size))
	}
	want := []string{
		"one-off container run-done 7",
		"anonymous volume " + anon('b') + " 2",
		"dangling image sha256:dangling 6",
		"unused service image sha256:gone 10",
		"network n1 0",
		"named volume shop_cache 5",
	}
	if !slices.Equal(got, want) {
		t.Errorf("with the file:\n got  %q\n want %q", got, want)
	}
	if plan.OrphanVolumes != 1 || plan.OrphanVolumeSize != 3 || plan.Reclaimable(false) != 7+2+6+10 {
		t.Errorf("orphans %d (%d bytes), reclaimable %d; want 1 (3 bytes) and 25", plan.OrphanVolumes, plan.OrphanVolumeSize, plan.Reclaimable(false))
	}
	bare := planLeftovers(snap, []CleanTarget{{Name: "shop"}})
	if len(bare.Items) != 4 || len(bare.Notes) != 1 {
		t.Errorf("without a file: got %d items and notes %q; want one-off, volumes and dangling image, and a note", len(bare.Items), bare.Notes)
	}
}
