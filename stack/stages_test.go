package stack

import (
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

func dfStrPtr(s string) *string { return &s }

func TestDockerfileStages(t *testing.T) {
	tests := []struct {
		file string
		args map[string]*string
		want []BuildStage
	}{
		{"multi-named.Dockerfile", nil, []BuildStage{
			{0, "base", "local/busybox", 1, nil},
			{1, "builder", "base", 4, nil},
			{2, "debug", "base", 7, nil},
			{3, "prod", "local/busybox", 10, nil},
		}},
		{"unnamed.Dockerfile", nil, []BuildStage{
			{0, "", "local/busybox", 1, nil},
			{1, "", "local/busybox:latest", 3, nil},
		}},
		{"args.Dockerfile", nil, []BuildStage{
			{0, "build", "example.invalid/golang:1.26", 5, nil},
			{1, "run", "example.invalid/base:slim", 7, nil},
			// ARGs declared inside a stage are not visible to FROM.
			{2, "", "busybox", 8, nil},
		}},
		{"args.Dockerfile", map[string]*string{"TAG": dfStrPtr("1.25"), "REGISTRY": dfStrPtr("mirror.invalid"), "INSIDE": dfStrPtr("x"), "UNDECLARED": dfStrPtr("y")}, []BuildStage{
			{0, "build", "mirror.invalid/golang:1.25", 5, nil},
			{1, "run", "mirror.invalid/base:slim", 7, nil},
			{2, "", "busybox", 8, nil},
		}},
		// A build arg given without a value (nil) leaves the default.
		{"args.Dockerfile", map[string]*string{"VARIANT": nil}, []BuildStage{
			{0, "build", "example.invalid/golang:1.26", 5, nil},
			{1, "run", "example.invalid/base:slim", 7, nil},
			{2, "", "busybox", 8, nil},
		}},
		{"platform.Dockerfile", nil, []BuildStage{
			{0, "cross", "local/busybox", 2, nil},
			{1, "", "local/busybox", 3, nil},
		}},
		{"continuation.Dockerfile", nil, []BuildStage{
			{0, "first", "local/busybox", 1, nil},
			{1, "second", "local/busybox", 8, nil},
		}},
		{"lowercase.Dockerfile", nil, []BuildStage{
			{0, "builder", "local/busybox", 1, nil},
			{1, "final", "builder", 3, nil},
		}},
		{"comments.Dockerfile", nil, []BuildStage{
			{0, "real", "local/busybox", 6, nil},
			{1, "after", "local/busybox", 13, nil},
		}},
		{"escape.Dockerfile", nil, []BuildStage{
			{0, "win", "local/busybox", 2, nil},
			{1, "second", "local/busybox", 5, nil},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			src, err := os.ReadFile(filepath.Join("testdata", "stages", tt.file))
			if err != nil {
				t.Fatal(err)
			}
			df, err := parseDockerfile(src)
			if err != nil {
				t.Fatal(err)
			}
			got := dockerfileStages(df, tt.args)
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("stages:\n got %+v\nwant %+v", got, tt.want)
			}
		})
	}
}

func TestExpandDockerfileVars(t *testing.T) {
	vars := map[string]string{"A": "a", "EMPTY": "", "N1": "n"}
	tests := []struct{ in, want string }{
		{"$A/${A}", "a/a"},
		{"${MISSING:-def}", "def"},
		{"${EMPTY:-def}", "def"},
		{"${EMPTY-def}", ""},
		{"${MISSING-def}", "def"},
		{"${A:+alt}", "alt"},
		{"${EMPTY:+alt}", ""},
		{"${EMPTY+alt}", "alt"},
		{"${MISSING:-${A}x}", "ax"},
		{`\$A`, "$A"},
		{"$N1-$", "n-$"},
		{"${unterminated", "${unterminated"},
	}
	for _, tt := range tests {
		if got := expandDockerfileVars(tt.in, vars, '\\'); got != tt.want {
			t.Errorf("expand(%q): got %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestStagesOfServices(t *testing.T) {
	t.Setenv("DSTEST_BASE", "from-env")
	p := writeBuildProject(t, "dstest-stages", `
services:
  app:
    build:
      context: app
      dockerfile: build/Dockerfile.dev
      target: dev
      args:
        BASE: local/busybox
  inline:
    build:
      dockerfile_inline: |
        ARG BASE
        FROM $$BASE AS only
      args:
        - DSTEST_BASE
        - BASE=$DSTEST_BASE
  db:
    image: local/busybox
`, map[string]string{
		"app/build/Dockerfile.dev": "ARG BASE=none\nFROM $BASE AS dev\nFROM dev AS test\n",
	})

	got, err := Stages(p, "app")
	if err != nil {
		t.Fatal(err)
	}
	want := []BuildStage{{0, "dev", "local/busybox", 2, nil}, {1, "test", "dev", 3, []string{"dev"}}}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("app stages: got %+v, want %+v", got, want)
	}
	if got := ConfiguredTarget(p, "app"); got != "dev" {
		t.Errorf("ConfiguredTarget(app): got %q, want dev", got)
	}

	got, err = Stages(p, "inline")
	if err != nil {
		t.Fatal(err)
	}
	if want := []BuildStage{{0, "only", "from-env", 2, nil}}; !reflect.DeepEqual(got, want) {
		t.Errorf("inline stages: got %+v, want %+v", got, want)
	}
	if got := ConfiguredTarget(p, "inline"); got != "" {
		t.Errorf("ConfiguredTarget(inline): got %q, want empty", got)
	}

	if _, err := Stages(p, "nope"); !errors.Is(err, ErrUnknownService) {
		t.Errorf("Stages(nope): got %v, want ErrUnknownService", err)
	}
	_, err = Stages(p, "db")
	if err == nil || !strings.Contains(err.Error(), "db has no build section") {
		t.Errorf("Stages(db): got %v, want a no-build-section error", err)
	}
}

func TestParseDockerfileRejectsBadEscape(t *testing.T) {
	_, err := parseDockerfile([]byte("# escape=x\nFROM local/busybox\n"))
	if err == nil || !strings.Contains(err.Error(), "line 1: invalid escape directive") {
		t.Errorf("got %v, want an invalid escape directive error on line 1", err)
	}
	// A directive after a blank line is only a comment.
	df, err := parseDockerfile([]byte("\n# escape=x\nFROM local/busybox\n"))
	if err != nil || df.Escape != '\\' {
		t.Errorf("late directive: got %v, escape %q; want it ignored", err, df.Escape)
	}
}
