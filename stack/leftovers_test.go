package stack

import (
	"testing"

	"github.com/moby/moby/api/types/container"
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
