package main

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/devstack/devstack/stack"
)

// runCLI runs devstack's command line in-process and returns its error and
// what it printed.
func runCLI(t *testing.T, args ...string) (string, error) {
	t.Helper()
	root := newRootCmd()
	var out bytes.Buffer
	root.SetOut(&out)
	root.SetErr(&out)
	root.SetArgs(args)
	err := root.Execute()
	return out.String(), err
}

// composeDir writes a compose file into a new folder, with no compose
// variables from the environment.
func composeDir(t *testing.T, yaml string) string {
	t.Helper()
	for _, k := range []string{"COMPOSE_FILE", "COMPOSE_PROJECT_NAME", "COMPOSE_PROFILES"} {
		t.Setenv(k, "")
		os.Unsetenv(k)
	}
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "compose.yaml"), []byte(yaml), 0o644); err != nil {
		t.Fatal(err)
	}
	return dir
}

// TestUnknownServiceInEveryVerb: a service name the project does not have is
// an error naming the services it has, in every verb that takes one — and
// it is found from the compose file before the engine is asked (the engine
// address here answers nothing).
func TestUnknownServiceInEveryVerb(t *testing.T) {
	dir := composeDir(t, "name: shop\nservices:\n  app: {image: local/busybox}\n  db: {image: local/busybox}\n")
	noEngine := "unix://" + filepath.Join(t.TempDir(), "none.sock")
	verbs := [][]string{
		{"logs", "nosuch"}, {"logs", "-f", "app", "nosuch"}, {"ps", "nosuch"}, {"exec", "nosuch", "sh"},
		{"restart", "nosuch"}, {"stop", "nosuch"}, {"start", "nosuch"}, {"build", "nosuch"},
		{"stages", "nosuch"}, {"up", "-d", "nosuch"}, {"config", "--hash", "app,nosuch"},
	}
	for _, v := range verbs {
		t.Run(strings.Join(v, " "), func(t *testing.T) {
			_, err := runCLI(t, append([]string{"--project-directory", dir, "-H", noEngine}, v...)...)
			want := `"nosuch" in project shop: its services are app, db`
			if !errors.Is(err, stack.ErrUnknownService) || !strings.Contains(err.Error(), want) {
				t.Errorf("got %v, want an ErrUnknownService naming %s", err, want)
			}
		})
	}
}

// TestUnknownServiceWithoutComposeFile: with -p NAME and no compose file the
// services come from the project's containers; a project with none says so.
func TestUnknownServiceWithoutComposeFile(t *testing.T) {
	empty := composeDir(t, "")
	os.Remove(filepath.Join(empty, "compose.yaml"))
	t.Chdir(empty)
	project := fmt.Sprintf("devstack-nofile-%d", os.Getpid())
	_, err := runCLI(t, "-p", project, "logs", "nosuch")
	if !errors.Is(err, stack.ErrUnknownService) || !strings.Contains(err.Error(), "it has no services") {
		t.Errorf("got %v, want an ErrUnknownService saying the project has no services", err)
	}
}
