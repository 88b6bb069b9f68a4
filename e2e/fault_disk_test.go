package e2e

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestFaultBindSourceCannotBeCreated: a bind mount whose source folder the
// engine could not create (a file stands where its parent folder should
// be) is refused before up creates anything — the engine itself would only
// fail at start, with an OCI error, after creating network and container.
func TestFaultBindSourceCannotBeCreated(t *testing.T) {
	requireImages(t, "local/busybox")
	dir := t.TempDir()
	project := projectName(t, "bind")
	putFile(t, filepath.Join(dir, "afile"), "I am a file\n")
	putFile(t, filepath.Join(dir, "compose.yaml"),
		"services:\n  app:\n    image: local/busybox\n    command: [\"sleep\", \"1d\"]\n    volumes:\n      - ./afile/sub:/data\n")
	r := devstack(t, dir, "-p", project, "up", "-d")
	if r.code == 0 {
		t.Fatalf("up succeeded with an impossible bind source:\n%s", r.stderr)
	}
	for _, want := range []string{"app", "afile/sub", "is a file, not a folder"} {
		if !strings.Contains(r.stderr, want) {
			t.Errorf("error does not say %q:\n%s", want, r.stderr)
		}
	}
	for _, kind := range [][]string{{"ps", "-aq"}, {"network", "ls", "-q"}} {
		out, _ := exec.Command("docker", append(kind, "--filter", "label=com.docker.compose.project="+project)...).Output()
		if s := strings.TrimSpace(string(out)); s != "" {
			t.Errorf("up left %v behind: %s", kind[0], s)
		}
	}
}

// TestFaultFullAndReadOnlyDisk: init into a full filesystem, and init and
// config --migrate in a read-only folder, each end with an error that says
// what happened, exit non-zero and leave nothing half-written.
func TestFaultFullAndReadOnlyDisk(t *testing.T) {
	full := smallFilesystem(t, "8k")
	r := devstack(t, full, "init", "go-mariadb", "app", "--defaults")
	if r.code == 0 || !strings.Contains(r.stderr, "no space left on device") {
		t.Errorf("init on a full disk: exit %d, want an error saying no space is left:\n%s", r.code, r.stderr)
	}
	if left := dirNames(t, full); len(left) != 0 {
		t.Errorf("init on a full disk left %v behind", left)
	}

	ro := smallFilesystem(t, "1m")
	if out, err := exec.Command("cp", "-a", filepath.Join(repoRoot(t), "examples", "legacy-v1")+"/.", ro).CombinedOutput(); err != nil {
		t.Fatalf("copy example: %v: %s", err, out)
	}
	if out, err := exec.Command("mount", "-o", "remount,ro", ro).CombinedOutput(); err != nil {
		t.Fatalf("remount read-only: %v: %s", err, out)
	}
	before := dirNames(t, ro)
	r = devstack(t, ro, "config", "--migrate")
	if r.code == 0 || !strings.Contains(r.stderr, "compose.yaml") || !strings.Contains(r.stderr, "read-only file system") {
		t.Errorf("migrate in a read-only folder: exit %d, want an error naming compose.yaml and the read-only file system:\n%s", r.code, r.stderr)
	}
	r = devstack(t, ro, "init", "node-redis", "x", "--defaults")
	if r.code == 0 || !strings.Contains(r.stderr, "read-only file system") {
		t.Errorf("init in a read-only folder: exit %d, want an error saying so:\n%s", r.code, r.stderr)
	}
	if after := dirNames(t, ro); strings.Join(after, ",") != strings.Join(before, ",") {
		t.Errorf("the read-only folder changed: before %v, after %v", before, after)
	}
}

// smallFilesystem mounts a tmpfs of the given size for the test, so a
// full disk and a read-only folder are real, not simulated. It needs root
// (CI runs as root); without it the test is skipped and says why.
func smallFilesystem(t *testing.T, size string) string {
	t.Helper()
	if os.Geteuid() != 0 {
		t.Skip("mounting a small tmpfs needs root")
	}
	dir := t.TempDir()
	if out, err := exec.Command("mount", "-t", "tmpfs", "-o", "size="+size, "tmpfs", dir).CombinedOutput(); err != nil {
		t.Skipf("cannot mount a tmpfs here: %v: %s", err, out)
	}
	t.Cleanup(func() {
		if out, err := exec.Command("umount", dir).CombinedOutput(); err != nil {
			t.Errorf("umount %s: %v: %s", dir, err, out)
		}
	})
	return dir
}

func dirNames(t *testing.T, dir string) []string {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	return names
}
