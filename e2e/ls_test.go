package e2e

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// runCompose runs Docker Compose in dir and returns its standard output.
func runCompose(t *testing.T, dir string, args ...string) string {
	t.Helper()
	cmd := exec.Command(composeBinary(t), args...)
	cmd.Dir = dir
	cmd.Env = cleanEnv()
	out, err := cmd.Output()
	if err != nil {
		stderr := ""
		if ee, ok := err.(*exec.ExitError); ok {
			stderr = string(ee.Stderr)
		}
		t.Fatalf("compose %v: %v\n%s", args, err, stderr)
	}
	return string(out)
}

func writeCompose(t *testing.T, compose string) string {
	t.Helper()
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "compose.yaml"), []byte(compose), 0o644); err != nil {
		t.Fatal(err)
	}
	return dir
}

const lsService = "    image: local/busybox\n    init: true\n    command: [sleep, 1d]\n"

// TestLsMatchesCompose puts three projects in three states — all running
// (devstack up), partly exited (devstack up, one container stopped), all
// stopped (compose up, compose stop) — and compares devstack ls with
// Docker Compose's ls, in JSON field by field and in the table byte for
// byte, with and without -a.
func TestLsMatchesCompose(t *testing.T) {
	requireImages(t, "local/busybox")
	running, partly, stopped := projectName(t, "lsrun"), projectName(t, "lspart"), projectName(t, "lsstop")
	dirRun := writeCompose(t, "services:\n  a:\n"+lsService+"  b:\n"+lsService)
	dirPart := writeCompose(t, "services:\n  a:\n"+lsService+"  b:\n"+lsService+"  c:\n"+lsService)
	dirStop := writeCompose(t, "services:\n  a:\n"+lsService+"  b:\n"+lsService)
	mustRun(t, dirRun, "-p", running, "up", "-d")
	mustRun(t, dirPart, "-p", partly, "up", "-d")
	if out, err := exec.Command("docker", "stop", partly+"-c-1").CombinedOutput(); err != nil {
		t.Fatalf("docker stop: %v: %s", err, out)
	}
	runCompose(t, dirStop, "-p", stopped, "up", "-d")
	runCompose(t, dirStop, "-p", stopped, "stop")

	filters := []string{"--filter", "name=" + running, "--filter", "name=" + partly, "--filter", "name=" + stopped}
	want := map[bool][]lsJSON{
		false: {{running, "running(2)", filepath.Join(dirRun, "compose.yaml")}, {partly, "running(2)", filepath.Join(dirPart, "compose.yaml")}},
		true: {{running, "running(2)", filepath.Join(dirRun, "compose.yaml")}, {partly, "exited(1), running(2)", filepath.Join(dirPart, "compose.yaml")},
			{stopped, "exited(2)", filepath.Join(dirStop, "compose.yaml")}},
	}
	for _, all := range []bool{false, true} {
		args := append([]string{"ls"}, filters...)
		if all {
			args = append(args, "-a")
		}
		ours := mustRun(t, dirRun, append(args, "--format", "json")...).stdout
		theirs := runCompose(t, dirRun, append(args, "--format", "json")...)
		got, ref := decodeLs(t, ours), decodeLs(t, theirs)
		slices.SortFunc(want[all], func(a, b lsJSON) int { return strings.Compare(a.Name, b.Name) })
		if !slices.Equal(got, ref) || !slices.Equal(got, want[all]) {
			t.Errorf("ls -a=%v --format json:\n devstack %+v\n compose  %+v\n want     %+v", all, got, ref, want[all])
		}
		if ours != theirs {
			t.Errorf("ls -a=%v --format json bytes differ:\n devstack %q\n compose  %q", all, ours, theirs)
		}
		if ours, theirs := mustRun(t, dirRun, args...).stdout, runCompose(t, dirRun, args...); ours != theirs {
			t.Errorf("ls -a=%v table differs:\ndevstack:\n%s\ncompose:\n%s", all, ours, theirs)
		}
		if ours, theirs := mustRun(t, dirRun, append(args, "-q")...).stdout, runCompose(t, dirRun, append(args, "-q")...); ours != theirs {
			t.Errorf("ls -a=%v -q differs:\ndevstack:\n%s\ncompose:\n%s", all, ours, theirs)
		}
	}
	if r := devstack(t, dirRun, "ls", "--filter", "status=running"); r.code == 0 || !strings.Contains(r.stderr, "invalid filter 'status'") {
		t.Errorf("ls --filter status=running: exit %d, stderr %q; want compose's invalid filter error", r.code, r.stderr)
	}
}

type lsJSON struct{ Name, Status, ConfigFiles string }

func decodeLs(t *testing.T, out string) []lsJSON {
	t.Helper()
	var rows []lsJSON
	if err := json.Unmarshal([]byte(out), &rows); err != nil {
		t.Fatalf("ls --format json output %q: %v", out, err)
	}
	return rows
}
