package e2e

import (
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestFaultKilledMidBuild kills `devstack up -d --build` (SIGKILL, then
// ctrl-c) while BuildKit builds a service's image (a step that takes 3 s,
// its cache busted each round), then runs it again: the build runs to the end,
// the service runs the new image, one container under its final name, and
// nothing panics.
func TestFaultKilledMidBuild(t *testing.T) {
	requireImages(t, "local/busybox")
	dir := t.TempDir()
	project := projectName(t, "killbuild")
	if err := os.MkdirAll(filepath.Join(dir, "app"), 0o755); err != nil {
		t.Fatal(err)
	}
	putFile(t, filepath.Join(dir, "app", "Dockerfile"),
		"FROM local/busybox\nARG ROUND=0\nRUN sleep 3 && echo built-$ROUND > /round\nCMD [\"sleep\", \"1d\"]\n")
	seed := uint64(time.Now().UnixNano())
	rng := rand.New(rand.NewPCG(seed, 3))
	var worst time.Duration
	for round, sig := range []syscall.Signal{syscall.SIGKILL, syscall.SIGINT, syscall.SIGKILL} {
		putFile(t, filepath.Join(dir, "compose.yaml"), fmt.Sprintf(
			"services:\n  app:\n    build:\n      context: ./app\n      args:\n        ROUND: \"%d\"\n    init: true\n", round))
		delay := time.Duration(300+rng.IntN(2200)) * time.Millisecond
		out, _ := interruptUp(t, dir, project, sig, delay, "--build")
		start := time.Now()
		r := devstack(t, dir, "-p", project, "up", "-d", "--build")
		worst = max(worst, time.Since(start))
		for _, o := range []string{out, r.stdout, r.stderr} {
			if strings.Contains(o, "panic:") {
				t.Fatalf("round %d (seed %d, %s after %v): a panic:\n%s", round, seed, sig, delay, o)
			}
		}
		if r.code != 0 {
			t.Fatalf("round %d (seed %d, %s after %v): the next up failed: exit %d\n%s", round, seed, sig, delay, r.code, r.stderr)
		}
		names := strings.Fields(string(mustOutput(t, "docker", "ps", "-a", "--filter", "label=com.docker.compose.project="+project, "--format", "{{.Names}}")))
		if len(names) != 1 || names[0] != project+"-app-1" {
			t.Fatalf("round %d: containers %v, want exactly %s-app-1", round, names, project)
		}
		if got := strings.TrimSpace(dockerExec(t, project+"-app-1", "cat", "/round")); got != fmt.Sprintf("built-%d", round) {
			t.Fatalf("round %d (seed %d, %s after %v): the service runs %q, want the image of this round", round, seed, sig, delay, got)
		}
	}
	t.Logf("fault killed mid-build: 3 runs, 3 survived, 0 panics, worst recovery %v (seed %d)", worst.Round(time.Millisecond), seed)
}
