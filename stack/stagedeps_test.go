package stack

import (
	"reflect"
	"testing"
)

func TestStageNeeds(t *testing.T) {
	name := buildTestProjectName("needs")
	p := writeBuildProject(t, name, "services:\n  app:\n    build: .\n", map[string]string{"Dockerfile": `
FROM local/busybox AS base
RUN echo base
FROM base AS deps
RUN echo deps
FROM local/busybox AS heavy
RUN sleep 5
FROM local/busybox AS tools
FROM deps AS build
COPY --from=tools /bin/sh /sh
RUN --mount=type=cache,target=/c --mount=type=bind,from=heavy,target=/h true
FROM base AS test
COPY --from=1 /x /x
FROM local/busybox
COPY --from=build /out /out
`})
	for _, tt := range []struct {
		target string
		want   []string
	}{
		{"test", []string{"base", "deps", "test"}},
		{"build", []string{"base", "deps", "heavy", "tools", "build"}},
		{"heavy", []string{"heavy"}},
		{"", []string{"base", "deps", "heavy", "tools", "build", "#6"}},
		{"TEST", []string{"base", "deps", "test"}},
	} {
		got, err := StageNeeds(p, "app", tt.target)
		if err != nil || !reflect.DeepEqual(got, tt.want) {
			t.Errorf("StageNeeds(%q): got %v, %v; want %v", tt.target, got, err, tt.want)
		}
	}
	if _, err := StageNeeds(p, "app", "nope"); err == nil {
		t.Errorf("StageNeeds(nope): got no error")
	}
	// Stages carries the same needs, without the stage itself: what the
	// rebuild picker shows.
	stages, err := Stages(p, "app")
	if err != nil {
		t.Fatal(err)
	}
	for i, s := range stages {
		target := s.Name
		if i == len(stages)-1 {
			target = "" // the unnamed last stage
		}
		want, err := StageNeeds(p, "app", target)
		if err != nil || len(want) == 0 {
			t.Fatalf("StageNeeds(%q): %v, %v", target, want, err)
		}
		want = want[:len(want)-1]
		if len(want) == 0 {
			want = nil
		}
		if !reflect.DeepEqual(s.Needs, want) {
			t.Errorf("stage %s needs %v, want %v", stageLabelValue(s), s.Needs, want)
		}
	}
}
