//go:build daemonrestart

package e2e

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// These tests restart the real dockerd, which disturbs every other test
// using the engine: they sit behind the daemonrestart build tag and
// scripts/test.sh runs them alone, after the main suite.

const daemonStack = `services:
  ticker:
    image: local/busybox
    init: true
    restart: always
    command: ["sh", "-c", "i=0; while true; do echo tick $$i; i=$$((i+1)); sleep 0.3; done"]
  oneshot:
    image: local/busybox
    init: true
    command: ["sleep", "1d"]
`

// TestFaultDaemonRestart restarts dockerd (a real restart: the process is
// stopped and started again with its own command line) while `logs -f`
// and the dashboard run: both reconnect and show what changed meanwhile —
// the ticker restarted by its policy counts from 0 again, the other
// service is exited.
func TestFaultDaemonRestart(t *testing.T) {
	requireImages(t, "local/busybox")
	dir := t.TempDir()
	project := projectName(t, "daemon")
	putFile(t, filepath.Join(dir, "compose.yaml"), daemonStack)
	mustRun(t, dir, "-p", project, "up", "-d")

	logs := exec.Command(binary, "-p", project, "logs", "-f", "ticker")
	logs.Dir = dir
	logs.Env = append(cleanEnv(), "NO_COLOR=1")
	var out syncBuffer
	logs.Stdout, logs.Stderr = &out, &out
	if err := logs.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() { _ = logs.Process.Kill(); _ = logs.Wait() }()
	s := startScreen(t, dir, 160, 40, "-p", project)
	s.waitFor(time.Minute, "2/2 running")

	start := time.Now()
	restartDockerd(t)
	recovered := time.Since(start)

	deadline := time.Now().Add(90 * time.Second)
	for strings.Count(out.String(), "tick 0\n") < 2 {
		if time.Now().After(deadline) {
			t.Fatalf("logs -f did not follow the ticker after the engine restart:\n%s", tailLines(out.String(), 20))
		}
		time.Sleep(200 * time.Millisecond)
	}
	followed := time.Since(start)
	scr := s.waitFor(90*time.Second, "1/2 running")
	if !strings.Contains(scr, "exited") {
		t.Errorf("the dashboard does not show oneshot exited after the restart:\n%s", scr)
	}
	if strings.Contains(out.String(), "panic:") || strings.Contains(scr, "panic:") {
		t.Errorf("a panic after the engine restart")
	}
	t.Logf("dockerd restart: engine back in %v; logs -f following again %v after the restart began; dashboard shows the change",
		recovered.Round(time.Millisecond), followed.Round(time.Millisecond))
}

// upInFlightStack keeps up busy for about 6 s: five services wait for a
// dependency that turns healthy only then, so a restart 1.5 s in always
// lands in the middle of the up.
const upInFlightStack = `services:
  slow:
    image: local/busybox
    init: true
    command: ["sh", "-c", "sleep 6; touch /ready; sleep 1d"]
    healthcheck:
      test: ["CMD", "test", "-f", "/ready"]
      interval: 1s
      retries: 30
`

// TestFaultDaemonRestartDuringUp restarts dockerd while `up -d` waits on a
// dependency: up fails with one sentence (no engine URL per service), and
// once the engine is back the next up converges.
func TestFaultDaemonRestartDuringUp(t *testing.T) {
	requireImages(t, "local/busybox")
	dir := t.TempDir()
	project := projectName(t, "daemonup")
	compose := upInFlightStack
	for i := range 5 {
		compose += fmt.Sprintf("  s%02d:\n    image: local/busybox\n    init: true\n    command: [\"sleep\", \"1d\"]\n"+
			"    environment:\n      MODE: ${MODE:-0}\n    depends_on:\n      slow:\n        condition: service_healthy\n", i)
	}
	putFile(t, filepath.Join(dir, "compose.yaml"), compose)
	up := exec.Command(binary, "-p", project, "up", "-d")
	up.Dir = dir
	up.Env = append(cleanEnv(), "NO_COLOR=1")
	var stderr bytes.Buffer
	up.Stderr = &stderr
	if err := up.Start(); err != nil {
		t.Fatal(err)
	}
	time.Sleep(1500 * time.Millisecond)
	restartDockerd(t)
	if err := up.Wait(); err == nil {
		t.Fatalf("up -d succeeded although the engine restarted while it waited:\n%s", stderr.String())
	}
	last := tailLines(stderr.String(), 1)
	if !strings.Contains(last, "stopped answering") || strings.Contains(last, "http://") {
		t.Errorf("up during an engine restart: want one sentence saying the engine stopped answering, got:\n%s", tailLines(stderr.String(), 8))
	}
	t.Logf("up in flight when dockerd restarted said: %s", last)
	mustRun(t, dir, "-p", project, "up", "-d")
	checkConverged(t, project, 5, 0)
}

// restartDockerd stops the running dockerd with SIGTERM and starts it again
// with the same command line and environment, then waits for `docker info`.
func restartDockerd(t *testing.T) {
	t.Helper()
	pid := dockerdPid(t)
	cmdline, err := os.ReadFile(fmt.Sprintf("/proc/%d/cmdline", pid))
	if err != nil {
		t.Fatal(err)
	}
	environ, _ := os.ReadFile(fmt.Sprintf("/proc/%d/environ", pid))
	args := strings.Split(strings.TrimRight(string(cmdline), "\x00"), "\x00")
	if err := syscall.Kill(pid, syscall.SIGTERM); err != nil {
		t.Fatalf("stop dockerd: %v", err)
	}
	// Whatever happens, the daemon is started again below: a test that
	// stopped here would leave the machine without an engine.
	for i := 0; alive(pid); i++ {
		if i == 600 {
			t.Errorf("dockerd did not stop within 60 s of SIGTERM; killing it")
			_ = syscall.Kill(pid, syscall.SIGKILL)
		}
		if i > 700 {
			break
		}
		time.Sleep(100 * time.Millisecond)
	}
	log, err := os.OpenFile(filepath.Join(os.TempDir(), "devstack-e2e-dockerd.log"), os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o644)
	if err != nil {
		t.Fatal(err)
	}
	defer log.Close()
	// setsid -f forks: the daemon is not the test's child, so it neither
	// dies with the test nor stays a zombie the test never reaps.
	d := exec.Command("setsid", append([]string{"-f"}, args...)...)
	d.Env = strings.Split(strings.TrimRight(string(environ), "\x00"), "\x00")
	d.Stdout, d.Stderr = log, log
	if err := d.Run(); err != nil {
		t.Fatalf("start dockerd again (%v): %v — start it by hand", args, err)
	}
	for i := 0; exec.Command("docker", "info").Run() != nil; i++ {
		if i > 120 {
			t.Fatalf("dockerd did not answer within 60 s of its restart; see %s", log.Name())
		}
		time.Sleep(500 * time.Millisecond)
	}
}

// dockerdPid finds the running dockerd; a daemon managed otherwise (no
// such process) cannot be restarted by the test, which then says so.
func dockerdPid(t *testing.T) int {
	t.Helper()
	out, err := exec.Command("pgrep", "-x", "dockerd").Output()
	fields := strings.Fields(string(out))
	if err != nil || len(fields) != 1 {
		t.Skipf("no single dockerd process to restart here (pgrep: %v, %q)", err, out)
	}
	pid, err := strconv.Atoi(fields[0])
	if err != nil {
		t.Fatal(err)
	}
	return pid
}

// alive reports whether the process runs: not gone, and not a zombie
// waiting for a parent to reap it.
func alive(pid int) bool {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return false
	}
	f := strings.Fields(string(b[bytes.LastIndexByte(b, ')')+1:]))
	return len(f) > 0 && f[0] != "Z"
}
