package stack

import (
	"errors"
	"slices"
	"sort"
	"testing"

	"github.com/moby/moby/api/types/container"
)

// TestLabelSelection checks which services start, stop and restart act on
// when the graph comes from the containers' depends_on labels alone: start
// takes what the service depends on, stop only the service, restart the
// services that declared `restart: true` on it.
func TestLabelSelection(t *testing.T) {
	summary := func(svc, dependsOn string) container.Summary {
		return container.Summary{Labels: map[string]string{labelService: svc, labelDependsOn: dependsOn}}
	}
	ls := labelServices{
		"db":     {summary("db", "")},
		"app":    {summary("app", "db:service_healthy:true,cache:service_started:false")},
		"cache":  {summary("cache", "")},
		"worker": {summary("worker", "app:service_started:false")},
	}
	tests := []struct {
		verb, service string
		want          []string
	}{
		{"start", "worker", []string{"app", "cache", "db", "worker"}},
		{"stop", "app", []string{"app"}},
		{"restart", "db", []string{"app", "db"}},
		{"restart", "cache", []string{"cache"}},
	}
	expand := map[string]func(depGraph, string) []string{"start": dependenciesOf, "stop": onlyItself, "restart": ls.restartDependents}
	for _, tt := range tests {
		g, err := ls.selected([]string{tt.service}, expand[tt.verb])
		if err != nil {
			t.Fatalf("%s %s: %v", tt.verb, tt.service, err)
		}
		got := make([]string, 0, len(g))
		for name := range g {
			got = append(got, name)
		}
		sort.Strings(got)
		if !slices.Equal(got, tt.want) {
			t.Errorf("%s %s: got %v, want %v", tt.verb, tt.service, got, tt.want)
		}
		if err := g.checkCycles(); err != nil {
			t.Errorf("%s %s: %v", tt.verb, tt.service, err)
		}
	}
	if _, err := ls.selected([]string{"nosuch"}, onlyItself); !errors.Is(err, ErrUnknownService) {
		t.Errorf("unknown service: got %v, want ErrUnknownService", err)
	}
}
