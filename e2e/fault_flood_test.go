package e2e

import (
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
	"unicode/utf8"
)

const floodStack = `services:
  big:
    image: local/busybox
    init: true
    command: ["sh", "-c", "head -c 52428800 /dev/zero | tr '\\0' x; echo; echo after-big-line; sleep 1d"]
  garbage:
    image: local/busybox
    init: true
    command: ["sh", "-c", "head -c 200000 /dev/urandom; echo; echo after-garbage; sleep 1d"]
`

// TestFaultLogFloods: a service printing one 50 MB line and one printing
// binary garbage. `devstack logs` prints what follows both, cuts the long
// line into bounded pieces, writes valid UTF-8 only, and its memory stays
// far below the line's size.
func TestFaultLogFloods(t *testing.T) {
	requireImages(t, "local/busybox")
	dir := t.TempDir()
	project := projectName(t, "flood")
	putFile(t, filepath.Join(dir, "compose.yaml"), floodStack)
	mustRun(t, dir, "-p", project, "up", "-d")
	deadline := time.Now().Add(2 * time.Minute)
	for !strings.Contains(dockerLogs(t, project+"-big-1"), "after-big-line") {
		if time.Now().After(deadline) {
			t.Fatal("the big line was not written within 2 minutes")
		}
		time.Sleep(500 * time.Millisecond)
	}
	cmd := exec.Command(binary, "-p", project, "logs")
	cmd.Dir = dir
	cmd.Env = append(cleanEnv(), "NO_COLOR=1")
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("logs: %v", err)
	}
	rss := peakRSS(t, cmd.ProcessState)
	longest := 0
	for _, line := range strings.Split(string(out), "\n") {
		longest = max(longest, len(line))
	}
	t.Logf("logs of a 50 MB line and 200 kB of garbage: %d MiB printed, longest line %d KiB, max RSS %d MiB",
		len(out)>>20, longest>>10, rss>>20)
	for _, want := range []string{"after-big-line", "after-garbage"} {
		if !strings.Contains(string(out), want) {
			t.Errorf("logs lost what follows the flood: no %q", want)
		}
	}
	if !utf8.Valid(out) {
		t.Error("logs wrote invalid UTF-8 to the terminal")
	}
	if longest > 128<<10 {
		t.Errorf("longest printed line is %d KiB, want it cut into pieces of at most 128 KiB", longest>>10)
	}
	if rss > 200<<20 {
		t.Errorf("logs used %d MiB of memory for a 50 MB line, want under 200 MiB", rss>>20)
	}
}

func dockerLogs(t *testing.T, container string) string {
	t.Helper()
	out, _ := exec.Command("sh", "-c", "docker logs "+container+" 2>&1 | tail -c 100").Output()
	return string(out)
}
