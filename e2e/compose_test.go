package e2e

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

// Docker Compose v5.6.0 built from its Go module by scripts/compose.sh
// (cached), run side by side with devstack.
var (
	composeOnce sync.Once
	composePath string
	composeErr  error
)

func composeBinary(t *testing.T) string {
	t.Helper()
	if bin := os.Getenv("DEVSTACK_COMPOSE_BIN"); bin != "" {
		return bin
	}
	composeOnce.Do(func() {
		out, err := exec.Command("bash", filepath.Join(repoRoot(t), "scripts", "compose.sh")).Output()
		composePath, composeErr = strings.TrimSpace(string(out)), err
		if ee, ok := err.(*exec.ExitError); ok {
			composeErr = fmt.Errorf("%w: %s", err, ee.Stderr)
		}
	})
	if composeErr != nil {
		t.Fatalf("no Docker Compose v5 to compare with: `bash scripts/compose.sh` failed: %v", composeErr)
	}
	return composePath
}

// tool runs devstack or Docker Compose with the same arguments.
type tool struct {
	name string
	bin  string
}

func (tl tool) run(t *testing.T, dir string, args ...string) result {
	t.Helper()
	return tl.runInput(t, dir, "", args...)
}

// runInput runs the tool with input on its stdin.
func (tl tool) runInput(t *testing.T, dir, input string, args ...string) result {
	t.Helper()
	r, _ := tl.runProcess(t, dir, input, args...)
	return r
}

// runProcess runs the tool and returns its result and its process state
// (resource usage).
func (tl tool) runProcess(t *testing.T, dir, input string, args ...string) (result, *os.ProcessState) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, tl.bin, args...)
	cmd.Dir = dir
	cmd.Env = append(cleanEnv(), "NO_COLOR=1")
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	cmd.Stdin = strings.NewReader(input)
	err := cmd.Run()
	r := result{stdout: out.String(), stderr: errb.String()}
	if ee, ok := err.(*exec.ExitError); ok {
		r.code = ee.ExitCode()
	} else if err != nil {
		t.Fatalf("run %s %v: %v", tl.name, args, err)
	}
	return r, cmd.ProcessState
}

func (tl tool) mustRun(t *testing.T, dir string, args ...string) result {
	t.Helper()
	r := tl.run(t, dir, args...)
	if r.code != 0 {
		t.Fatalf("%s %s: exit %d\nstdout:\n%s\nstderr:\n%s", tl.name, strings.Join(args, " "), r.code, r.stdout, r.stderr)
	}
	return r
}

// started is a long-lived command (events) running in the background.
type started struct {
	cmd *exec.Cmd
	out *syncBuffer
}

// start runs a long-lived command until its stop is called.
func (tl tool) start(t *testing.T, dir string, args ...string) *started {
	t.Helper()
	cmd := exec.Command(tl.bin, args...)
	cmd.Dir = dir
	cmd.Env = append(cleanEnv(), "NO_COLOR=1")
	s := &started{cmd: cmd, out: &syncBuffer{}}
	cmd.Stdout = s.out
	if err := cmd.Start(); err != nil {
		t.Fatalf("start %s %v: %v", tl.name, args, err)
	}
	t.Cleanup(func() { s.stop() })
	return s
}

// output is what the command has printed so far.
func (s *started) output() string { return s.out.String() }

// stop ends the command and returns everything it printed.
func (s *started) stop() string {
	s.cmd.Process.Kill()
	s.cmd.Wait()
	return s.out.String()
}

// syncBuffer is a bytes.Buffer safe for a child's writes and our reads.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}
