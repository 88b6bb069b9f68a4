package stack

import (
	"errors"
	"reflect"
	"strings"
	"testing"
)

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
