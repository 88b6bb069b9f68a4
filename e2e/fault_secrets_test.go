package e2e

import (
	"encoding/base64"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// Planted secret values: each must never appear in anything devstack shows.
const (
	secretFromEnvFile  = "PLANTED-envfile-7f3a9c"
	secretFromDotEnv   = "PLANTED-dotenv-2b81de"
	secretInCompose    = "PLANTED-environment-c4d5e6"
	secretRegistryPass = "PLANTED-registry-91aa0f"
)

const secretsStack = `services:
  app:
    image: local/busybox
    init: true
    command: ["sleep", "1d"]
    env_file: [secret.env]
    environment:
      API_TOKEN: ${TOKEN}
      SECRET_KEY: ` + secretInCompose + `
  broken:
    image: 127.0.0.1:1/private/app:1
    profiles: [pull]
    environment:
      DB_PASSWORD: ${TOKEN}
`

// TestFaultSecretsNeverShown plants secret values in an env file, in .env
// (through interpolation), in an environment: entry whose name marks it
// secret, and as a registry password in DOCKER_CONFIG; then runs the verbs
// a user runs — up, ps (table and JSON), logs, an up that fails on an
// unreachable private registry, template pack, down — and the dashboard's
// inspect pane, and greps every captured output for the planted values.
// `config` is left out on purpose: like `docker compose config` it prints
// the resolved model, values included, which is what it is asked for.
func TestFaultSecretsNeverShown(t *testing.T) {
	requireImages(t, "local/busybox")
	dir := t.TempDir()
	project := projectName(t, "secrets")
	cfg := t.TempDir()
	putFile(t, filepath.Join(dir, "compose.yaml"), secretsStack)
	putFile(t, filepath.Join(dir, "secret.env"), "DB_PASSWORD="+secretFromEnvFile+"\n")
	putFile(t, filepath.Join(dir, ".env"), "TOKEN="+secretFromDotEnv+"\n")
	auth := base64.StdEncoding.EncodeToString([]byte("dev:" + secretRegistryPass))
	putFile(t, filepath.Join(cfg, "config.json"), `{"auths":{"127.0.0.1:1":{"auth":"`+auth+`"}}}`)

	var captured []string
	run := func(args ...string) result {
		t.Helper()
		r := devstackEnv(t, dir, []string{"DOCKER_CONFIG=" + cfg}, args...)
		captured = append(captured, "devstack "+strings.Join(args, " ")+"\n"+r.stdout+r.stderr)
		return r
	}
	if r := run("-p", project, "up", "-d"); r.code != 0 {
		t.Fatalf("up: exit %d\n%s", r.code, r.stderr)
	}
	run("-p", project, "ps")
	run("-p", project, "ps", "--format", "json")
	run("-p", project, "logs")
	if r := run("-p", project, "--profile", "pull", "up", "-d"); r.code == 0 {
		t.Errorf("up with an image on an unreachable registry succeeded:\n%s", r.stderr)
	}
	run("template", "pack", "-o", filepath.Join(t.TempDir(), "stack.tgz"))

	s := startScreenEnv(t, dir, 160, 50, []string{"DOCKER_CONFIG=" + cfg}, "-p", project)
	s.waitFor(time.Minute, "app")
	s.keys("i")
	captured = append(captured, "dashboard inspect\n"+s.waitFor(10*time.Second, "API_TOKEN", "SECRET_KEY", "DB_PASSWORD"))
	s.keys("Escape", "q")
	run("-p", project, "down")

	pkg, _ := filepath.Glob(filepath.Join(filepath.Dir(dir), "*", "stack.tgz"))
	for _, p := range pkg {
		if out, err := exec.Command("sh", "-c", "gzip -dc "+p).Output(); err == nil {
			captured = append(captured, "packed template\n"+string(out))
		}
	}
	for _, out := range captured {
		for _, secret := range []string{secretFromEnvFile, secretFromDotEnv, secretInCompose, secretRegistryPass, auth} {
			if strings.Contains(out, secret) {
				t.Errorf("a planted secret (%s) appears in: %s", secret, tailLines(out, 30))
			}
		}
	}
	t.Logf("secrets: %d outputs captured and searched for 4 planted values", len(captured))
}

// devstackEnv runs the binary in dir with extra environment.
func devstackEnv(t *testing.T, dir string, env []string, args ...string) result {
	t.Helper()
	cmd := exec.Command(binary, args...)
	cmd.Dir = dir
	cmd.Env = append(append(cleanEnv(), "NO_COLOR=1"), env...)
	var out, errb strings.Builder
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	r := result{stdout: out.String(), stderr: errb.String()}
	if ee, ok := err.(*exec.ExitError); ok {
		r.code = ee.ExitCode()
	} else if err != nil {
		t.Fatalf("run devstack %v: %v", args, err)
	}
	return r
}
