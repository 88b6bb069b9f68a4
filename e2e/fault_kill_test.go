package e2e

import (
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"
)

// killStack is ten services, one of them holding data in a named volume;
// MODE comes from .env so each round changes every service's config hash
// and up has ten recreates to be interrupted in.
func killStack(services int) string {
	var b strings.Builder
	b.WriteString("services:\n")
	for i := range services {
		fmt.Fprintf(&b, "  s%02d:\n    image: local/busybox\n    init: true\n    command: [\"sleep\", \"1d\"]\n"+
			"    environment:\n      MODE: ${MODE:-0}\n", i)
		if i == 0 {
			b.WriteString("    volumes:\n      - data:/data\n")
		}
	}
	b.WriteString("volumes:\n  data:\n")
	return b.String()
}

var temporaryName = regexp.MustCompile(`^[0-9a-f]{12}_`)

// TestFaultKilledMidUp kills `devstack up -d` (SIGKILL, or SIGINT as a
// user's ctrl-c) at random points while it recreates a 10-service stack,
// then runs `up -d` again: the stack must converge to the file with no
// duplicate, temporary-named or missing container, the named volume's data
// intact, and no panic in any output.
func TestFaultKilledMidUp(t *testing.T) {
	requireImages(t, "local/busybox")
	for _, sig := range []syscall.Signal{syscall.SIGKILL, syscall.SIGINT} {
		t.Run(sig.String(), func(t *testing.T) {
			dir := t.TempDir()
			project := projectName(t, "kill")
			putFile(t, filepath.Join(dir, "compose.yaml"), killStack(10))
			putFile(t, filepath.Join(dir, ".env"), "MODE=0\n")
			mustRun(t, dir, "-p", project, "up", "-d")
			dockerExec(t, project+"-s00-1", "sh", "-c", "echo precious > /data/sum")

			seed := uint64(time.Now().UnixNano())
			rng := rand.New(rand.NewPCG(seed, 1))
			const rounds = 4
			var worst time.Duration
			for round := 1; round <= rounds; round++ {
				putFile(t, filepath.Join(dir, ".env"), fmt.Sprintf("MODE=%d\n", round))
				delay := time.Duration(50+rng.IntN(1450)) * time.Millisecond
				killed, code := interruptUp(t, dir, project, sig, delay)
				// code -1: the signal came before devstack handled signals
				// (it was still starting) and the default action ended it.
				said := strings.Contains(killed, "up interrupted:") || strings.Contains(killed, "interrupted before it finished")
				if sig == syscall.SIGINT && code > 0 && (!said || strings.Contains(killed, "http://") || strings.Contains(killed, "unreachable")) {
					t.Errorf("round %d: ctrl-c after %v: want one sentence saying what state up left, got:\n%s", round, delay, killed)
				}
				if round == 1 {
					t.Logf("what up printed when %s arrived after %v:\n%s", sig, delay, tailLines(killed, 6))
				}
				start := time.Now()
				r := devstack(t, dir, "-p", project, "up", "-d")
				took := time.Since(start)
				worst = max(worst, took)
				for _, out := range []string{killed, r.stdout, r.stderr} {
					if strings.Contains(out, "panic:") || strings.Contains(out, "goroutine ") {
						t.Fatalf("round %d (seed %d, %s after %v): a panic:\n%s", round, seed, sig, delay, out)
					}
				}
				if r.code != 0 {
					t.Fatalf("round %d (seed %d, %s after %v): the next up failed: exit %d\n%s%s", round, seed, sig, delay, r.code, r.stdout, r.stderr)
				}
				checkConverged(t, project, 10, round)
				if got := strings.TrimSpace(dockerExec(t, project+"-s00-1", "cat", "/data/sum")); got != "precious" {
					t.Fatalf("round %d (seed %d): the named volume lost its data: %q", round, seed, got)
				}
			}
			t.Logf("fault %s mid-up: %d runs, %d survived, 0 data lost, 0 panics, worst recovery %v (seed %d)",
				sig, rounds, rounds, worst.Round(time.Millisecond), seed)
		})
	}
}

// interruptUp starts `up -d` (with extra flags), sends sig after delay
// unless up has ended by then, waits for the process to end and returns
// what it printed and its exit code.
func interruptUp(t *testing.T, dir, project string, sig syscall.Signal, delay time.Duration, extra ...string) (string, int) {
	t.Helper()
	start := time.Now()
	out, code, _ := interruptUpWhen(t, dir, project, sig, func() bool { return time.Since(start) >= delay }, extra...)
	return out, code
}

// interruptUpWhen starts `up -d` (with extra flags), sends sig as soon as
// ready says so (polled every 5 ms), waits for the process to end and
// returns what it printed, its exit code and whether sig was sent: up may
// end before ready does.
func interruptUpWhen(t *testing.T, dir, project string, sig syscall.Signal, ready func() bool, extra ...string) (out string, code int, signalled bool) {
	t.Helper()
	cmd := exec.Command(binary, append([]string{"-p", project, "up", "-d"}, extra...)...)
	cmd.Dir = dir
	cmd.Env = append(cleanEnv(), "NO_COLOR=1")
	var b strings.Builder
	cmd.Stdout, cmd.Stderr = &b, &b
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	tick := time.NewTicker(5 * time.Millisecond)
	defer tick.Stop()
	deadline := time.After(2 * time.Minute)
	for {
		select {
		case <-done:
			return b.String(), cmd.ProcessState.ExitCode(), signalled
		case <-deadline:
			_ = cmd.Process.Kill()
			<-done
			t.Fatalf("up did not end within 2 minutes (%s sent: %v):\n%s", sig, signalled, b.String())
		case <-tick.C:
			if !signalled && ready() {
				_ = cmd.Process.Signal(sig)
				signalled = true
			}
		}
	}
}

// checkConverged asserts that each of the n services has exactly one
// container, under its final name, running with the round's MODE.
func checkConverged(t *testing.T, project string, n, round int) {
	t.Helper()
	out, err := exec.Command("docker", "ps", "-a", "--filter", "label=com.docker.compose.project="+project,
		"--format", `{{.Names}}|{{.State}}|{{.Label "com.docker.compose.service"}}`).Output()
	if err != nil {
		t.Fatalf("docker ps: %v", err)
	}
	seen := map[string]int{}
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		f := strings.Split(line, "|")
		if len(f) != 3 {
			continue
		}
		name, state, svc := f[0], f[1], f[2]
		seen[svc]++
		if temporaryName.MatchString(name) {
			t.Errorf("round %d: %s still has a temporary name", round, name)
		}
		if want := project + "-" + svc + "-1"; name != want || state != "running" {
			t.Errorf("round %d: got %s %s, want %s running", round, name, state, want)
		}
	}
	for i := range n {
		svc := fmt.Sprintf("s%02d", i)
		if seen[svc] != 1 {
			t.Errorf("round %d: service %s has %d containers, want 1", round, svc, seen[svc])
			continue
		}
		env := dockerExec(t, project+"-"+svc+"-1", "sh", "-c", "echo $MODE")
		if strings.TrimSpace(env) != fmt.Sprint(round) {
			t.Errorf("round %d: %s runs MODE=%s, want %d", round, svc, strings.TrimSpace(env), round)
		}
	}
	if t.Failed() {
		t.FailNow()
	}
}

// dockerExec runs a command in a container through the docker CLI.
func dockerExec(t *testing.T, container string, cmd ...string) string {
	t.Helper()
	out, err := exec.Command("docker", append([]string{"exec", container}, cmd...)...).CombinedOutput()
	if err != nil {
		t.Fatalf("docker exec %s %v: %v: %s", container, cmd, err, out)
	}
	return string(out)
}

func putFile(t *testing.T, path, content string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}

// tailLines is the end of an output, for logs.
func tailLines(s string, n int) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	return strings.Join(lines[max(0, len(lines)-n):], "\n")
}
