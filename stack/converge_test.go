package stack

import (
	"context"
	"reflect"
	"testing"

	"github.com/moby/moby/api/types/container"
)

func TestPlanService(t *testing.T) {
	running := func(id string, n int, hash string) observed {
		return observed{ID: id, Number: n, Hash: hash, ImageID: "img", State: container.StateRunning, Networks: []string{"net"}, Volumes: []string{"vol"}}
	}
	want := desired{Scale: 1, Hash: "h", ImageID: "img", Networks: []string{"net"}, Volumes: []string{"vol"}}
	tests := []struct {
		name   string
		want   func(desired) desired
		have   []observed
		expect servicePlan
	}{
		{"create when missing", nil, nil, servicePlan{Create: []int{1}}},
		{"keep when up to date", nil, []observed{running("a", 1, "h")},
			servicePlan{Keep: []observed{running("a", 1, "h")}}},
		{"recreate on hash change", nil, []observed{running("a", 1, "old")},
			servicePlan{Recreate: []observed{running("a", 1, "old")}}},
		{"recreate on new image", func(d desired) desired { d.ImageID = "img2"; return d }, []observed{running("a", 1, "h")},
			servicePlan{Recreate: []observed{running("a", 1, "h")}}},
		{"recreate when a network is missing", func(d desired) desired { d.Networks = []string{"net", "other"}; return d },
			[]observed{running("a", 1, "h")}, servicePlan{Recreate: []observed{running("a", 1, "h")}}},
		{"recreate when a named volume is missing", func(d desired) desired { d.Volumes = []string{"vol2"}; return d },
			[]observed{running("a", 1, "h")}, servicePlan{Recreate: []observed{running("a", 1, "h")}}},
		{"never recreate", func(d desired) desired { d.Policy = recreateNever; return d }, []observed{running("a", 1, "old")},
			servicePlan{Keep: []observed{running("a", 1, "old")}}},
		{"force recreate", func(d desired) desired { d.Policy = recreateForce; return d }, []observed{running("a", 1, "h")},
			servicePlan{Recreate: []observed{running("a", 1, "h")}}},
		{"scale down removes highest numbers", nil, []observed{running("c", 3, "h"), running("a", 1, "h"), running("b", 2, "h")},
			servicePlan{Keep: []observed{running("a", 1, "h")}, Remove: []observed{running("b", 2, "h"), running("c", 3, "h")}}},
		{"scale down removes outdated first", nil, []observed{running("a", 1, "old"), running("b", 2, "h")},
			servicePlan{Keep: []observed{running("b", 2, "h")}, Remove: []observed{running("a", 1, "old")}}},
		{"scale up numbers after the highest", func(d desired) desired { d.Scale = 3; return d }, []observed{running("b", 2, "h")},
			servicePlan{Keep: []observed{running("b", 2, "h")}, Create: []int{3, 4}}},
		{"scale to zero", func(d desired) desired { d.Scale = 0; return d }, []observed{running("a", 1, "h")},
			servicePlan{Remove: []observed{running("a", 1, "h")}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := want
			if tt.want != nil {
				w = tt.want(want)
			}
			got := planService(w, tt.have)
			if !reflect.DeepEqual(got, tt.expect) {
				t.Errorf("got %+v, want %+v", got, tt.expect)
			}
		})
	}
}

func TestDepGraphWalkOrderAndFailure(t *testing.T) {
	g := depGraph{"app": {"db", "cache"}, "db": nil, "cache": nil, "web": {"app"}, "solo": nil}
	var order []string
	done := make(chan string, 10)
	err := g.walk(context.Background(), false, func(_ context.Context, s string) error {
		done <- s
		if s == "cache" {
			return errTest
		}
		return nil
	})
	close(done)
	for s := range done {
		order = append(order, s)
	}
	if err == nil || err.Error() != errTest.Error() {
		t.Errorf("got error %v, want %v", err, errTest)
	}
	ran := map[string]bool{}
	for _, s := range order {
		ran[s] = true
	}
	for _, s := range []string{"db", "cache", "solo"} {
		if !ran[s] {
			t.Errorf("%s did not run", s)
		}
	}
	if ran["app"] || ran["web"] {
		t.Errorf("services depending on a failed one ran: %v", order)
	}

	order = nil
	var seen = make(chan string, 10)
	if err := g.walk(context.Background(), true, func(_ context.Context, s string) error { seen <- s; return nil }); err != nil {
		t.Fatal(err)
	}
	close(seen)
	pos := map[string]int{}
	for s := range seen {
		pos[s] = len(order)
		order = append(order, s)
	}
	if !(pos["web"] < pos["app"] && pos["app"] < pos["db"] && pos["app"] < pos["cache"]) {
		t.Errorf("reverse order wrong: %v", order)
	}
}

func TestDepGraphRejectsCycles(t *testing.T) {
	g := depGraph{"a": {"b"}, "b": {"a"}}
	if err := g.walk(context.Background(), false, func(context.Context, string) error { return nil }); err == nil {
		t.Error("got no error for a cycle")
	}
}

var errTest = testError("cache failed")

type testError string

func (e testError) Error() string { return string(e) }
