package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestArgsErrorsSayWhatIsExpected: a verb given the wrong arguments says
// what it expects, with its usage, never cobra's "accepts 1 arg(s)".
func TestArgsErrorsSayWhatIsExpected(t *testing.T) {
	cases := []struct {
		args []string
		want string
	}{
		{[]string{"exec"}, "exec needs a service name: devstack exec SERVICE [COMMAND [ARG...]] (got nothing)"},
		{[]string{"stages"}, "stages needs one service name: devstack stages SERVICE (got nothing)"},
		{[]string{"stages", "a", "b"}, `stages needs one service name: devstack stages SERVICE (got "a b")`},
		{[]string{"down", "app"}, "down takes no service names"},
		{[]string{"config", "app"}, "config takes no arguments"},
		{[]string{"version", "x"}, "version takes no arguments"},
		{[]string{"init", "a", "b", "c"}, "devstack init [TEMPLATE [DIR]]"},
		{[]string{"template", "push"}, "template push needs a reference"},
		{[]string{"template", "pack", "a", "b"}, "template pack takes at most one folder"},
	}
	for _, c := range cases {
		t.Run(strings.Join(c.args, " "), func(t *testing.T) {
			_, err := runCLI(t, c.args...)
			if err == nil || !strings.Contains(err.Error(), c.want) || strings.Contains(err.Error(), "arg(s)") {
				t.Errorf("got %v, want %q", err, c.want)
			}
		})
	}
}

// TestLegacyWarningOnlyWhereTheFileIsApplied: the legacy-format warning is
// printed by up, config and build, not by every ps, logs or exec.
func TestLegacyWarningOnlyWhereTheFileIsApplied(t *testing.T) {
	dir := composeDir(t, "")
	os.Remove(filepath.Join(dir, "compose.yaml"))
	if err := os.WriteFile(filepath.Join(dir, "docker-compose.yml"), []byte("web:\n  image: local/busybox\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	for verb, wantWarning := range map[string]bool{"up": true, "config": true, "build": true, "ps": false, "logs": false, "exec": false, "stop": false} {
		var errb bytes.Buffer
		g := &globals{projectDir: dir, stderr: &errb, verb: verb}
		if _, err := g.load(context.Background()); err != nil {
			t.Fatalf("%s: load: %v", verb, err)
		}
		if got := strings.Contains(errb.String(), "legacy compose v1 format"); got != wantWarning {
			t.Errorf("%s: legacy warning printed %v, want %v (stderr %q)", verb, got, wantWarning, errb.String())
		}
	}
}

// TestInitReadsPipedAnswers: without a terminal, init asks one question a
// line and reads the answers from stdin (it used to take every default
// silently); the end of the input keeps the remaining defaults.
func TestInitReadsPipedAnswers(t *testing.T) {
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	old := os.Stdin
	os.Stdin = r
	t.Cleanup(func() { os.Stdin = old; r.Close() })
	if _, err := w.WriteString("9191\n"); err != nil {
		t.Fatal(err)
	}
	w.Close()
	dir := filepath.Join(t.TempDir(), "shop")
	if _, err := runCLI(t, "init", "php-mariadb", dir); err != nil {
		t.Fatalf("init: %v", err)
	}
	env, err := os.ReadFile(filepath.Join(dir, ".env"))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"HTTP_PORT=9191\n", "DB_NAME=app\n"} {
		if !strings.Contains(string(env), want) {
			t.Errorf(".env lacks %q:\n%s", want, env)
		}
	}
}
