package dockerfile

import (
	"os"
	"path/filepath"
	"reflect"
	"testing"
)

func strPtr(s string) *string { return &s }

func TestStages(t *testing.T) {
	tests := []struct {
		file string
		args map[string]*string
		want []Stage
	}{
		{"multi-named.Dockerfile", nil, []Stage{
			{0, "base", "local/busybox", 1},
			{1, "builder", "base", 4},
			{2, "debug", "base", 7},
			{3, "prod", "local/busybox", 10},
		}},
		{"unnamed.Dockerfile", nil, []Stage{
			{0, "", "local/busybox", 1},
			{1, "", "local/busybox:latest", 3},
		}},
		{"args.Dockerfile", nil, []Stage{
			{0, "build", "example.invalid/golang:1.26", 5},
			{1, "run", "example.invalid/base:slim", 7},
			// ARGs declared inside a stage are not visible to FROM.
			{2, "", "busybox", 8},
		}},
		{"args.Dockerfile", map[string]*string{"TAG": strPtr("1.25"), "REGISTRY": strPtr("mirror.invalid"), "INSIDE": strPtr("x"), "UNDECLARED": strPtr("y")}, []Stage{
			{0, "build", "mirror.invalid/golang:1.25", 5},
			{1, "run", "mirror.invalid/base:slim", 7},
			{2, "", "busybox", 8},
		}},
		// A build arg given without a value (nil) leaves the default.
		{"args.Dockerfile", map[string]*string{"VARIANT": nil}, []Stage{
			{0, "build", "example.invalid/golang:1.26", 5},
			{1, "run", "example.invalid/base:slim", 7},
			{2, "", "busybox", 8},
		}},
		{"platform.Dockerfile", nil, []Stage{
			{0, "cross", "local/busybox", 2},
			{1, "", "local/busybox", 3},
		}},
		{"continuation.Dockerfile", nil, []Stage{
			{0, "first", "local/busybox", 1},
			{1, "second", "local/busybox", 8},
		}},
		{"lowercase.Dockerfile", nil, []Stage{
			{0, "builder", "local/busybox", 1},
			{1, "final", "builder", 3},
		}},
		{"comments.Dockerfile", nil, []Stage{
			{0, "real", "local/busybox", 6},
			{1, "after", "local/busybox", 13},
		}},
		{"escape.Dockerfile", nil, []Stage{
			{0, "win", "local/busybox", 2},
			{1, "second", "local/busybox", 5},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			src, err := os.ReadFile(filepath.Join("testdata", "stages", tt.file))
			if err != nil {
				t.Fatal(err)
			}
			df, err := Parse(src)
			if err != nil {
				t.Fatal(err)
			}
			got := df.Stages(tt.args)
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("stages:\n got %+v\nwant %+v", got, tt.want)
			}
		})
	}
}
