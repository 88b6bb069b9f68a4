package stack

import (
	"context"
	"errors"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
)

func TestBuildRejectsTargetForManyServices(t *testing.T) {
	p := writeBuildProject(t, "dstest-targets", `
services:
  a:
    build: .
  b:
    build: .
`, map[string]string{"Dockerfile": "FROM local/busybox\n"})
	err := (&Engine{}).Build(context.Background(), p, BuildOptions{Target: "dev"})
	if err == nil || !strings.Contains(err.Error(), "one service") {
		t.Errorf("got %v, want an error saying a target applies to one service", err)
	}
	err = (&Engine{}).Build(context.Background(), p, BuildOptions{Services: []string{"c"}})
	if !errors.Is(err, ErrUnknownService) {
		t.Errorf("got %v, want ErrUnknownService", err)
	}
}

func TestNewBuildRequest(t *testing.T) {
	t.Setenv("DSTEST_FROM_ENV", "env-value")
	p := writeBuildProject(t, "dstest-request", `
services:
  api:
    image: registry.invalid/team/api:dev
    build:
      context: ./api
      dockerfile: ../docker/api.Dockerfile
      target: debug
      args:
        PLAIN: one
        DSTEST_FROM_ENV:
        UNSET_ARG:
      labels:
        team: backend
      extra_hosts:
        - "db=10.0.0.2"
      tags:
        - registry.invalid/team/api:latest
      no_cache: true
  worker:
    build: ./api
`, map[string]string{"api/Dockerfile": "FROM local/busybox\n", "docker/api.Dockerfile": "FROM local/busybox\n"})

	req, err := newBuildRequest(p, "api", BuildOptions{Target: "prod", Pull: true})
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"registry.invalid/team/api:dev", "registry.invalid/team/api:latest"}; !slices.Equal(req.tags, want) {
		t.Errorf("tags: got %q, want %q", req.tags, want)
	}
	if req.target != "prod" || !req.noCache || !req.pull {
		t.Errorf("target %q noCache %v pull %v: want prod, true, true", req.target, req.noCache, req.pull)
	}
	if req.contextDir != filepath.Join(p.WorkingDir, "api") || req.dockerfile.name != filepath.Join("docker", "api.Dockerfile") {
		t.Errorf("context %q, dockerfile %q", req.contextDir, req.dockerfile.name)
	}
	wantLabels := map[string]string{"team": "backend", "com.docker.compose.project": "dstest-request", "com.docker.compose.service": "api"}
	if !reflect.DeepEqual(req.labels, wantLabels) {
		t.Errorf("labels: got %v, want %v", req.labels, wantLabels)
	}
	if got := req.args["PLAIN"]; got == nil || *got != "one" {
		t.Errorf("arg PLAIN: got %v", got)
	}
	if got := req.args["DSTEST_FROM_ENV"]; got == nil || *got != "env-value" {
		t.Errorf("arg DSTEST_FROM_ENV: got %v, want the environment's value", got)
	}
	if got := req.args["UNSET_ARG"]; got != nil {
		t.Errorf("arg UNSET_ARG: got %q, want no value", *got)
	}
	if !slices.Equal(req.extraHosts, []string{"db:10.0.0.2"}) {
		t.Errorf("extra hosts: got %q", req.extraHosts)
	}

	req, err = newBuildRequest(p, "worker", BuildOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(req.tags, []string{"dstest-request-worker"}) || req.target != "" {
		t.Errorf("worker: tags %q target %q, want dstest-request-worker and no target", req.tags, req.target)
	}
}
