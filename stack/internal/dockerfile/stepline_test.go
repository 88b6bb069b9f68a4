package dockerfile

import "testing"

func TestStepLine(t *testing.T) {
	src := []byte(`FROM local/busybox AS base
RUN echo  one
FROM base AS build
RUN --mount=type=cache,target=/c echo one
RUN echo two
FROM local/busybox
RUN echo two
`)
	tests := []struct {
		vertex string
		want   int
	}{
		{"[base 2/2] RUN echo one", 2},
		// Flags are not in the vertex name of older engines' steps.
		{"[build 2/3] RUN echo one", 4},
		{"[build 3/3] RUN echo two", 5},
		{"[stage-2 2/2] RUN echo two", 7},
		// Without a stage (a one-stage Dockerfile's vertex) two lines match.
		{"[2/2] RUN echo two", 0},
		{"[base 1/2] FROM local/busybox", 0},
		{"load build context", 0},
	}
	for _, tt := range tests {
		if got := StepLine(src, tt.vertex); got != tt.want {
			t.Errorf("StepLine(%q): got %d, want %d", tt.vertex, got, tt.want)
		}
	}
	if got := StepLine(nil, "[base 2/2] RUN echo one"); got != 0 {
		t.Errorf("no source: got %d, want 0", got)
	}
}
