package composeload

import (
	"context"
	"errors"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// TestLoadErrorsNameFileLineAndKey loads broken files and checks that each
// error names the file, the line and the key, and carries a hint.
func TestLoadErrorsNameFileLineAndKey(t *testing.T) {
	cases := []struct {
		files   []string
		file    string
		line    int
		key     string
		message string // a part of the message
		hint    string // a part of the hint
	}{
		{[]string{"mem-limit.yaml"}, "mem-limit.yaml", 4, "services.app.mem_limit", "invalid size", "512m"},
		{[]string{"unknown-key.yaml"}, "unknown-key.yaml", 5, "services.app.restrat", `unknown key "restrat"`, "spelling"},
		{[]string{"bad-port.yaml"}, "bad-port.yaml", 6, "services.app.ports", "invalid containerPort: abc", "HOST:CONTAINER"},
		{[]string{"required-var.yaml"}, "required-var.yaml", 3, "services.app.image", "required variable IMAGE", ".env"},
		{[]string{"bad-interpolation.yaml"}, "bad-interpolation.yaml", 6, "services.app.environment.BROKEN", "invalid interpolation format", "$$"},
		{[]string{"undefined-service.yaml"}, "undefined-service.yaml", 5, "services.app.depends_on.db", `undefined service "db"`, "depends_on"},
		{[]string{"undefined-volume.yaml"}, "undefined-volume.yaml", 5, "services.app.volumes.data", `undefined volume "data"`, "top-level volumes"},
		{[]string{"undefined-network.yaml"}, "undefined-network.yaml", 4, "services.app.networks.front", `undefined network "front"`, "top-level networks"},
		{[]string{"bad-duration.yaml"}, "bad-duration.yaml", 6, "services.app.healthcheck.interval", "unknown unit", "10s"},
		{[]string{"yaml-syntax.yaml"}, "yaml-syntax.yaml", 4, "", "did not find expected", "indentation"},
		{[]string{"no-image.yaml"}, "no-image.yaml", 2, "services.app", "neither an image nor a build", "image:"},
		{[]string{"missing-envfile.yaml"}, "missing-envfile.yaml", 4, "services.app.env_file", "missing.env not found", "required: false"},
		// Legacy v1 files: lines are those of the file as written.
		{[]string{"legacy/docker-compose.yml"}, "legacy/docker-compose.yml", 8, "services.db.bogus", `unknown key "bogus"`, "spelling"},
		{[]string{"legacy-size/docker-compose.yml"}, "legacy-size/docker-compose.yml", 4, "services.app.mem_limit", "invalid size", "512m"},
		// Two -f files: the bad value is in the second one.
		{[]string{"multi/compose.yaml", "multi/override.yaml"}, "multi/override.yaml", 6, "services.app.cpus", `parsing "many"`, "type"},
	}
	for _, c := range cases {
		t.Run(strings.Join(c.files, "+"), func(t *testing.T) {
			var files []string
			for _, f := range c.files {
				files = append(files, absPath(t, filepath.Join("testdata/broken", f)))
			}
			wd := absPath(t, "testdata/broken")
			_, err := Load(context.Background(), LoadOptions{Files: files, WorkingDir: wd, ProjectName: "broken"})
			var le *LoadError
			if !errors.As(err, &le) {
				t.Fatalf("got error %v (%T), want a *LoadError", err, err)
			}
			if want := absPath(t, filepath.Join("testdata/broken", c.file)); le.File != want || le.Line != c.line {
				t.Errorf("got position %s:%d, want %s:%d", le.File, le.Line, want, c.line)
			}
			if le.Key != c.key {
				t.Errorf("got key %q, want %q", le.Key, c.key)
			}
			if !strings.Contains(le.Message, c.message) {
				t.Errorf("got message %q, want it to contain %q", le.Message, c.message)
			}
			if !strings.Contains(le.Hint, c.hint) {
				t.Errorf("got hint %q, want it to contain %q", le.Hint, c.hint)
			}
			prefix := c.file + ":" + strconv.Itoa(c.line) + ": "
			if !strings.HasPrefix(err.Error(), prefix) {
				t.Errorf("got error text %q, want it to start with %q", err.Error(), prefix)
			}
		})
	}
}

// TestLoadErrorKeepsSentinels checks that locating errors does not hide
// the sentinels callers test with errors.Is.
func TestLoadErrorKeepsSentinels(t *testing.T) {
	dir := t.TempDir()
	_, err := Load(context.Background(), LoadOptions{WorkingDir: dir, Files: []string{filepath.Join(dir, "compose.yaml")}})
	if !errors.Is(err, ErrNoComposeFile) {
		t.Errorf("missing -f file: got %v, want ErrNoComposeFile", err)
	}
	unsetEnv(t, "COMPOSE_FILE")
	t.Chdir(dir)
	_, err = Load(context.Background(), LoadOptions{})
	if !errors.Is(err, ErrNoComposeFile) {
		t.Errorf("got %v, want ErrNoComposeFile", err)
	}
}

// TestLoadErrorInterpolatedValue: a bad value that a variable brought (from
// .env, as `devstack init --set` writes it, or from the environment) is
// placed at its key, not at services:, and the error names the variable.
func TestLoadErrorInterpolatedValue(t *testing.T) {
	const compose = "services:\n  web:\n    image: local/busybox\n    ports:\n      - \"${HTTP_PORT:-8080}:80\"\n    mem_limit: ${MEM:-64m}\n"
	cases := []struct {
		name, dotenv, envKey, envVal string
		line                         int
		key, origin                  string
	}{
		{"port from .env", "HTTP_PORT=abc\n", "", "", 5, "services.web.ports", `the value "${HTTP_PORT:-8080}:80" comes from HTTP_PORT=abc (from .env)`},
		{"port from the environment", "", "HTTP_PORT", "abc", 5, "services.web.ports", `comes from HTTP_PORT=abc (from the environment)`},
		{"size from the environment", "", "MEM", "lots", 6, "services.web.mem_limit", `the value "${MEM:-64m}" comes from MEM=lots (from the environment)`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			unsetEnv(t, "COMPOSE_FILE", "COMPOSE_PROJECT_NAME", "COMPOSE_PROFILES", "HTTP_PORT", "MEM")
			if c.envKey != "" {
				t.Setenv(c.envKey, c.envVal)
			}
			dir := t.TempDir()
			writeFile(t, filepath.Join(dir, "compose.yaml"), compose)
			if c.dotenv != "" {
				writeFile(t, filepath.Join(dir, ".env"), c.dotenv)
			}
			_, err := Load(context.Background(), LoadOptions{WorkingDir: dir, ProjectName: "interp"})
			var le *LoadError
			if !errors.As(err, &le) {
				t.Fatalf("got error %v (%T), want a *LoadError", err, err)
			}
			if le.Line != c.line || le.Key != c.key {
				t.Errorf("got line %d key %q, want line %d key %q (error: %v)", le.Line, le.Key, c.line, c.key, err)
			}
			if !strings.Contains(le.Origin, c.origin) || !strings.Contains(err.Error(), c.origin) {
				t.Errorf("got origin %q (error %v), want it to contain %q", le.Origin, err, c.origin)
			}
		})
	}
}
