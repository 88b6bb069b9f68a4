package e2e

import (
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestCLIAppDB walks the example app+MariaDB stack through the verbs a
// developer uses, checking what they would check: the stack comes up, a
// second up changes nothing, exec passes exit codes through, data in the
// named volume survives down/up and is removed only by down -v.
func TestCLIAppDB(t *testing.T) {
	requireImages(t, "local/busybox", "local/mariadb:test")
	dir, port := appdbExample(t)
	name := projectName(t, "cli")
	p := func(args ...string) []string { return append([]string{"-p", name}, args...) }

	up := mustRun(t, dir, p("up", "-d")...)
	if !strings.Contains(up.stderr, name+"-db-1") || !strings.Contains(up.stderr, "healthy") {
		t.Errorf("up -d progress does not show the db container becoming healthy:\n%s", up.stderr)
	}
	again := mustRun(t, dir, p("up", "-d")...)
	if !strings.Contains(again.stderr, "up to date") {
		t.Errorf("second up -d should say the stack is up to date, got:\n%s", again.stderr)
	}

	ps := mustRun(t, dir, p("ps")...)
	for _, want := range []string{name + "-app-1", name + "-db-1", "(healthy)", fmt.Sprintf("%d->80/tcp", port)} {
		if !strings.Contains(ps.stdout, want) {
			t.Errorf("ps output lacks %q:\n%s", want, ps.stdout)
		}
	}

	if r := devstack(t, dir, p("exec", "-T", "app", "sh", "-c", "exit 7")...); r.code != 7 {
		t.Errorf("exec exit code: got %d, want 7 (stderr %q)", r.code, r.stderr)
	}
	sql := func(q string) string {
		r := mustRun(t, dir, p("exec", "-T", "db", "mariadb", "-uroot", "-pdevroot", "app", "-N", "-e", q)...)
		return r.stdout
	}
	if got := sql("SELECT body FROM notes ORDER BY id LIMIT 1"); !strings.Contains(got, "hello from the seed file") {
		t.Errorf("seed SQL did not run at first start: got %q", got)
	}
	sql("INSERT INTO notes (body) VALUES ('written by e2e')")

	logs := mustRun(t, dir, p("logs", "--tail", "5", "db")...)
	if !strings.Contains(logs.stdout, name+"-db-1") {
		t.Errorf("logs lines lack the container prefix:\n%s", logs.stdout)
	}

	mustRun(t, dir, p("down")...)
	if err := exec.Command("docker", "volume", "inspect", name+"_dbdata").Run(); err != nil {
		t.Fatalf("down without -v removed the named volume %s_dbdata", name)
	}
	mustRun(t, dir, p("up", "-d")...)
	if got := sql("SELECT COUNT(*) FROM notes WHERE body = 'written by e2e'"); strings.TrimSpace(got) != "1" {
		t.Errorf("row written before down is gone after up: count %q", got)
	}
	mustRun(t, dir, p("down", "-v")...)
	if err := exec.Command("docker", "volume", "inspect", name+"_dbdata").Run(); err == nil {
		t.Errorf("down -v left the named volume %s_dbdata", name)
	}
}

// TestCLIBrokenFile checks that a broken compose file names file:line and
// the key, exits non-zero and creates nothing.
func TestCLIBrokenFile(t *testing.T) {
	dir := t.TempDir()
	name := projectName(t, "broken")
	compose := "services:\n  web:\n    image: local/busybox\n    mem_limit: lots\n"
	if err := os.WriteFile(filepath.Join(dir, "compose.yaml"), []byte(compose), 0o644); err != nil {
		t.Fatal(err)
	}
	r := devstack(t, dir, "-p", name, "up", "-d")
	if r.code == 0 {
		t.Fatalf("up on a broken file exited 0")
	}
	if !strings.Contains(r.stderr, "compose.yaml:4") || !strings.Contains(r.stderr, "mem_limit") {
		t.Errorf("error should name compose.yaml:4 and mem_limit, got:\n%s", r.stderr)
	}
	out, _ := exec.Command("docker", "ps", "-aq", "--filter", "label=com.docker.compose.project="+name).Output()
	if len(strings.TrimSpace(string(out))) != 0 {
		t.Errorf("a broken file created containers: %s", out)
	}
}

// TestCLIUnreachableEngine checks the one-sentence error naming DOCKER_HOST.
func TestCLIUnreachableEngine(t *testing.T) {
	dir := copyExample(t, "appdb")
	t.Setenv("DOCKER_HOST", "unix:///nonexistent/docker.sock")
	r := devstack(t, dir, "ps")
	if r.code == 0 {
		t.Fatal("ps against a missing socket exited 0")
	}
	if !strings.Contains(r.stderr, "unix:///nonexistent/docker.sock") || !strings.Contains(r.stderr, "unreachable") {
		t.Errorf("error should say the engine at the DOCKER_HOST is unreachable, got:\n%s", r.stderr)
	}
}

// TestCLIMigrateLegacy converts the seed's v1 file and checks that the
// result loads as a current file with the same config hashes.
func TestCLIMigrateLegacy(t *testing.T) {
	dir := copyExample(t, "legacy-v1")
	before := mustRun(t, dir, "config", "--hash", "*")
	if !strings.Contains(before.stderr, "legacy") {
		t.Errorf("loading a v1 file should warn that it is legacy, stderr:\n%s", before.stderr)
	}
	mustRun(t, dir, "config", "--migrate")
	if err := os.Remove(filepath.Join(dir, "docker-compose.yml")); err != nil {
		t.Fatal(err)
	}
	after := mustRun(t, dir, "config", "--hash", "*")
	if strings.Contains(after.stderr, "legacy") {
		t.Errorf("the migrated compose.yaml still loads as legacy:\n%s", after.stderr)
	}
	if before.stdout != after.stdout {
		t.Errorf("hashes differ after migration:\nbefore:\n%s\nafter:\n%s", before.stdout, after.stdout)
	}
	if r := devstack(t, dir, "config", "--migrate"); r.code != 0 || !strings.Contains(r.stderr, "nothing to migrate") {
		t.Errorf("migrating a current file: exit %d, stderr %q", r.code, r.stderr)
	}
}

// TestCLITemplates creates a stack from a built-in template, checks that it
// loads, packs it again and initialises a second folder from the package:
// the compose file round-trips and no secret value is in the package.
func TestCLITemplates(t *testing.T) {
	root := t.TempDir()
	list := mustRun(t, root, "init")
	for _, want := range []string{"php-mariadb", "go-mariadb", "node-redis"} {
		if !strings.Contains(list.stdout, want) {
			t.Errorf("init without arguments should list %s:\n%s", want, list.stdout)
		}
	}
	first := filepath.Join(root, "first")
	mustRun(t, root, "init", "php-mariadb", first, "--defaults", "--set", "DB_PASSWORD=s3cret-e2e")
	if r := devstack(t, root, "init", "php-mariadb", first, "--defaults"); r.code == 0 {
		t.Errorf("init into a folder with the same files should refuse without --force")
	}
	cfg := mustRun(t, first, "config", "--services")
	if cfg.stdout != "app\ndb\n" {
		t.Errorf("the new stack's services: got %q", cfg.stdout)
	}
	pkg := filepath.Join(root, "stack.tgz")
	mustRun(t, first, "template", "pack", "-o", pkg)
	data, err := exec.Command("sh", "-c", "gzip -dc "+pkg).Output()
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(data), "s3cret-e2e") {
		t.Errorf("the package contains the database password")
	}
	second := filepath.Join(root, "second")
	mustRun(t, root, "init", pkg, second, "--defaults")
	a, _ := os.ReadFile(filepath.Join(first, "compose.yaml"))
	b, _ := os.ReadFile(filepath.Join(second, "compose.yaml"))
	if len(a) == 0 || string(a) != string(b) {
		t.Errorf("compose.yaml differs after pack and init")
	}
}

// TestCLIUpWithoutTerminal checks that `up` with no terminal (a pipe, CI)
// starts the stack and then follows its logs, as docker compose up does,
// and that an interrupt stops following and leaves the stack running.
func TestCLIUpWithoutTerminal(t *testing.T) {
	requireImages(t, "local/busybox")
	dir := t.TempDir()
	compose := "services:\n  talker:\n    image: local/busybox\n    init: true\n    command: [\"sh\", \"-c\", \"while :; do echo still-talking; sleep 0.2; done\"]\n"
	if err := os.WriteFile(filepath.Join(dir, "compose.yaml"), []byte(compose), 0o644); err != nil {
		t.Fatal(err)
	}
	name := projectName(t, "pipe")
	cmd := exec.Command(binary, "-p", name, "up")
	cmd.Dir = dir
	cmd.Env = append(cleanEnv(), "NO_COLOR=1")
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	var errb strings.Builder
	cmd.Stderr = &errb
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	seen := make(chan bool, 1)
	go func() {
		buf := make([]byte, 4096)
		var got strings.Builder
		for {
			n, err := out.Read(buf)
			got.Write(buf[:n])
			if strings.Contains(got.String(), name+"-talker-1 | still-talking") {
				seen <- true
				_, _ = io.Copy(io.Discard, out)
				return
			}
			if err != nil {
				seen <- false
				return
			}
		}
	}()
	select {
	case ok := <-seen:
		if !ok {
			t.Fatalf("up without a terminal ended before following the logs; stderr:\n%s", errb.String())
		}
	case <-time.After(2 * time.Minute):
		cmd.Process.Kill()
		t.Fatalf("no log line followed within 2 minutes; stderr:\n%s", errb.String())
	}
	cmd.Process.Signal(os.Interrupt)
	if err := cmd.Wait(); err != nil {
		t.Errorf("up after an interrupt: %v; stderr:\n%s", err, errb.String())
	}
	if ps := mustRun(t, dir, "-p", name, "ps"); !strings.Contains(ps.stdout, "Up ") {
		t.Errorf("the stack should keep running after the interrupt:\n%s", ps.stdout)
	}
}
