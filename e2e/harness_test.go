package e2e

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"
)

// binary is the devstack binary built once for the package.
var binary string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "devstack-e2e-bin")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	binary = filepath.Join(dir, "devstack")
	args := []string{"build", "-o", binary}
	if raceEnabled {
		args = append(args, "-race")
	}
	build := exec.Command("go", append(args, "github.com/devstack/devstack/cmd/devstack")...)
	build.Stdout, build.Stderr = os.Stderr, os.Stderr
	if err := build.Run(); err != nil {
		fmt.Fprintln(os.Stderr, "build devstack:", err)
		os.Exit(1)
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// repoRoot is the module's root folder.
func repoRoot(t *testing.T) string {
	t.Helper()
	_, file, _, _ := runtime.Caller(0)
	return filepath.Dir(filepath.Dir(file))
}

// projectName returns a fresh project name for one test and removes
// everything labelled with it when the test ends.
func projectName(t *testing.T, kind string) string {
	t.Helper()
	b := make([]byte, 3)
	rand.Read(b)
	name := fmt.Sprintf("dstest-e2e-%s-%s", kind, hex.EncodeToString(b))
	t.Cleanup(func() { removeProject(t, name) })
	return name
}

// removeProject deletes the containers, networks, volumes and images that
// carry the project's label, and nothing else.
func removeProject(t *testing.T, name string) {
	filter := "label=com.docker.compose.project=" + name
	for _, kind := range []struct{ list, rm []string }{
		{[]string{"ps", "-aq", "--filter", filter}, []string{"rm", "-f", "-v"}},
		{[]string{"network", "ls", "-q", "--filter", filter}, []string{"network", "rm"}},
		{[]string{"volume", "ls", "-q", "--filter", filter}, []string{"volume", "rm", "-f"}},
		{[]string{"image", "ls", "-q", "--filter", filter}, []string{"image", "rm", "-f"}},
	} {
		out, _ := exec.Command("docker", kind.list...).Output()
		ids := strings.Fields(string(out))
		if len(ids) == 0 {
			continue
		}
		out, err := exec.Command("docker", append(kind.rm, ids...)...).CombinedOutput()
		// Engine 20.10 may still count endpoints of containers just removed
		// in bulk ("has active endpoints"): it lets go within seconds.
		for try := 0; err != nil && kind.rm[0] == "network" && strings.Contains(string(out), "active endpoints") && try < 10; try++ {
			time.Sleep(time.Second)
			out, err = exec.Command("docker", append(kind.rm, ids...)...).CombinedOutput()
		}
		if err != nil {
			t.Logf("cleanup %s: %v: %s", name, err, out)
		}
	}
	// A devstack the test killed may have left requests the engine
	// finishes after it is gone (a create, a rename): once more, late.
	if late, _ := exec.Command("docker", "ps", "-aq", "--filter", filter).Output(); len(strings.Fields(string(late))) > 0 && !retried(t, name) {
		time.Sleep(2 * time.Second)
		removeProject(t, name)
	}
}

// retried marks the one second pass of removeProject per test and project.
func retried(t *testing.T, project string) bool {
	_, again := cleanupRetried.LoadOrStore(t.Name()+" "+project, true)
	return again
}

var cleanupRetried sync.Map

// requireImages fails with the command that builds missing fixture images.
func requireImages(t *testing.T, images ...string) {
	t.Helper()
	for _, img := range images {
		if err := exec.Command("docker", "image", "inspect", img).Run(); err != nil {
			t.Fatalf("fixture image %s is missing: run `bash scripts/fixtures.sh` first", img)
		}
	}
}

// copyExample copies examples/<name> into a temporary folder, so tests can
// edit it and bind mounts point at test-owned paths.
func copyExample(t *testing.T, name string) string {
	t.Helper()
	dst := filepath.Join(t.TempDir(), name)
	if out, err := exec.Command("cp", "-a", filepath.Join(repoRoot(t), "examples", name), dst).CombinedOutput(); err != nil {
		t.Fatalf("copy example: %v: %s", err, out)
	}
	return dst
}

// freePort returns a TCP port that nothing listens on right now, so tests
// never collide with a developer's own 8080.
func freePort(t *testing.T) int {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}

// appdbExample copies examples/appdb and gives its app a free host port.
func appdbExample(t *testing.T) (dir string, port int) {
	t.Helper()
	dir = copyExample(t, "appdb")
	port = freePort(t)
	f, err := os.OpenFile(filepath.Join(dir, ".env"), os.O_APPEND|os.O_WRONLY|os.O_CREATE, 0o644)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	// The fixture stand-ins for the example's public images, also when
	// scripts/fixtures.sh has not written the example's .env.
	fmt.Fprintf(f, "\nDB_IMAGE=local/mariadb:test\nAPP_BASE_IMAGE=local/busybox\nAPP_PORT=%d\n", port)
	return dir, port
}

// result is one finished devstack run.
type result struct {
	stdout, stderr string
	code           int
}

// devstack runs the binary in dir and returns its output and exit code.
func devstack(t *testing.T, dir string, args ...string) result {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, binary, args...)
	cmd.Dir = dir
	cmd.Env = append(cleanEnv(), "NO_COLOR=1")
	var out, errb bytes.Buffer
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

// cleanEnv is the test's environment without COMPOSE_* variables, which
// would otherwise choose files and names for the project under test.
func cleanEnv() []string {
	var env []string
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "COMPOSE_") {
			env = append(env, kv)
		}
	}
	return env
}

// mustRun runs devstack and fails the test unless it exits 0.
func mustRun(t *testing.T, dir string, args ...string) result {
	t.Helper()
	r := devstack(t, dir, args...)
	if r.code != 0 {
		t.Fatalf("devstack %s: exit %d\nstdout:\n%s\nstderr:\n%s", strings.Join(args, " "), r.code, r.stdout, r.stderr)
	}
	return r
}
