package stack

import (
	"context"
	"errors"
	"net"
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
`, map[string]string{"api/Dockerfile": "FROM local/busybox\n", "docker/api.Dockerfile": "FROM local/busybox AS debug\nFROM debug AS prod\n"})

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
	wantLabels := map[string]string{"team": "backend", "com.docker.compose.project": "dstest-request", "com.docker.compose.service": "api", stageLabel: "prod"}
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
	if !slices.Equal(req.tags, []string{"dstest-request-worker"}) || req.target != "" || req.stage != "#0" {
		t.Errorf("worker: tags %q target %q stage %q, want dstest-request-worker, no target, stage #0", req.tags, req.target, req.stage)
	}
}

// TestFrontendAttrs checks what compose's build: keys become for
// BuildKit's Dockerfile frontend and session.
func TestFrontendAttrs(t *testing.T) {
	t.Setenv("DSTEST_TOKEN", "t")
	sock := filepath.Join(t.TempDir(), "agent.sock")
	l, err := net.Listen("unix", sock)
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	t.Setenv("SSH_AUTH_SOCK", sock)
	p := writeBuildProject(t, "dstest-attrs", `
secrets:
  npmrc:
    file: ./npmrc
  token:
    environment: DSTEST_TOKEN
services:
  api:
    platform: linux/amd64
    build:
      context: .
      target: prod
      args: {A: "1"}
      network: host
      shm_size: 64m
      ulimits:
        nofile: {soft: 1024, hard: 2048}
        nproc: 512
      extra_hosts: ["db=10.0.0.2"]
      no_cache_filter: [deps]
      pull: true
      privileged: true
      secrets: [npmrc, {source: token, target: api_token}]
      ssh: [default]
      cache_from: ["type=registry,ref=registry.invalid/cache", registry.invalid/old]
      cache_to: [type=inline]
`, map[string]string{"Dockerfile": "FROM local/busybox AS prod\n", "npmrc": "x"})
	req, err := newBuildRequest(p, "api", BuildOptions{})
	if err != nil {
		t.Fatal(err)
	}
	so, cleanup, err := solveOptions(req)
	if err != nil {
		t.Fatal(err)
	}
	defer cleanup()
	for k, want := range map[string]string{
		"target": "prod", "build-arg:A": "1", "force-network-mode": "host", "shm-size": "67108864",
		"ulimit": "nofile=1024:2048,nproc=512:512", "add-hosts": "db=10.0.0.2", "no-cache": "deps",
		"image-resolve-mode": "pull", "platform": "linux/amd64", "filename": "Dockerfile",
		"label:" + stageLabel: "prod", "label:com.docker.compose.service": "api",
	} {
		if got := so.FrontendAttrs[k]; got != want {
			t.Errorf("frontend attr %s: got %q, want %q", k, got, want)
		}
	}
	if !slices.Equal(so.AllowedEntitlements, []string{"network.host", "security.insecure"}) {
		t.Errorf("entitlements: got %q", so.AllowedEntitlements)
	}
	if len(so.CacheImports) != 2 || so.CacheImports[1].Attrs["ref"] != "registry.invalid/old" || len(so.CacheExports) != 1 {
		t.Errorf("cache: got imports %+v exports %+v", so.CacheImports, so.CacheExports)
	}
	if len(req.secrets) != 2 || req.secrets[0].FilePath == "" || req.secrets[1].ID != "api_token" || req.secrets[1].Env != "DSTEST_TOKEN" {
		t.Errorf("secrets: got %+v", req.secrets)
	}
	if so.LocalMounts["context"] == nil || so.LocalMounts["dockerfile"] == nil || so.Exports[0].Type != "moby" || so.Exports[0].Attrs["name"] != "dstest-attrs-api" {
		t.Errorf("mounts %v exports %+v", so.LocalMounts, so.Exports)
	}
	for _, bad := range []string{"cache_to: [\"type=registry,ref=x\"]", "platforms: [linux/amd64, linux/arm64]"} {
		p := writeBuildProject(t, "dstest-attrs-bad", "services:\n  api:\n    build:\n      context: .\n      "+bad+"\n", map[string]string{"Dockerfile": "FROM local/busybox\n"})
		if _, err := newBuildRequest(p, "api", BuildOptions{}); err == nil {
			t.Errorf("%s: got no error", bad)
		}
	}
}

// TestGitContext checks that a git URL context is handed to BuildKit to
// fetch, with the Dockerfile path inside the repository.
func TestGitContext(t *testing.T) {
	p := writeBuildProject(t, "dstest-git", "services:\n  api:\n    build:\n      context: https://git.invalid/team/api.git#main\n      dockerfile: docker/Dockerfile\n", map[string]string{})
	req, err := newBuildRequest(p, "api", BuildOptions{})
	if err != nil {
		t.Fatal(err)
	}
	so, cleanup, err := solveOptions(req)
	if err != nil {
		t.Fatal(err)
	}
	defer cleanup()
	if so.FrontendAttrs["context"] != "https://git.invalid/team/api.git#main" || so.FrontendAttrs["filename"] != "docker/Dockerfile" {
		t.Errorf("attrs: got %v, want the git context and docker/Dockerfile", so.FrontendAttrs)
	}
	if len(so.LocalMounts) != 0 {
		t.Errorf("local mounts: got %v, want none for a git context", so.LocalMounts)
	}
}
