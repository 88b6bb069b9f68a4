package tui

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"io"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"
	"github.com/devstack/devstack/stack"
)

type safeBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *safeBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *safeBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// TestShellThroughProgram runs the real Bubble Tea program on a pipe: s
// opens a shell through Backend.Exec, the shell reads a line from the
// terminal and exits 3, the screen shows the code, and the first key typed
// afterwards (q) reaches the screen instead of the finished shell's stdin
// copy.
func TestShellThroughProgram(t *testing.T) {
	f, opts := shopModel(t, Options{})
	opts.Shell = []string{"sh"}
	inR, inW, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	defer inR.Close()
	defer inW.Close()

	started := make(chan stack.ExecOptions, 1)
	copied := make(chan string, 1)
	f.exec = lineShell(started, copied)
	out := &safeBuffer{}
	m := newModel(context.Background(), f, opts)
	p := tea.NewProgram(m, tea.WithInput(inR), tea.WithOutput(out), tea.WithWindowSize(100, 30))
	done := make(chan tea.Model, 1)
	go func() {
		final, err := p.Run()
		if err != nil {
			t.Errorf("program: %v", err)
		}
		done <- final
	}()

	waitFor(t, "containers listed", func() bool { return hasCall(f, "ps") })
	time.Sleep(50 * time.Millisecond)
	io.WriteString(inW, "jjs")
	var req stack.ExecOptions
	select {
	case req = <-started:
	case <-time.After(5 * time.Second):
		t.Fatal("s did not start a shell")
	}
	if strings.Join(req.Cmd, " ") != "sh" || !req.TTY || req.Stdin == nil || req.Stdout == nil {
		t.Errorf("exec request %+v", req)
	}
	if !hasCall(f, "exec web1000000000000000000 [sh]") {
		t.Errorf("shell opened in the wrong container: %v", f.Calls())
	}
	io.WriteString(inW, "exit 3\n")
	// The stdin copy must end with the shell, having taken only its line.
	select {
	case got := <-copied:
		if len(got) != len("exit 3\n") {
			t.Errorf("the stdin copy took %d bytes, want only the shell's line", len(got))
		}
	case <-time.After(5 * time.Second):
		t.Fatal("the stdin copy outlived the shell")
	}
	waitFor(t, "the exit code on screen", func() bool {
		return strings.Contains(ansi.Strip(out.String()), "shell in web exited with code 3")
	})
	io.WriteString(inW, "q")
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		p.Kill()
		t.Fatal("the first key after the shell was lost: q did not quit")
	}
	if !strings.Contains(out.String(), "shell got exit 3") {
		t.Error("the shell's output did not reach the terminal")
	}
}

func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// TestShellCommandEndsStdinCopy checks the ExecCommand alone: after the
// shell ends, a read that was waiting on the terminal returns instead of
// taking the next key.
func TestShellCommandEndsStdinCopy(t *testing.T) {
	inR, inW, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	defer inR.Close()
	defer inW.Close()
	readErr := make(chan error, 1)
	f := newFake(nil, stack.Container{ID: "c1", Service: "web", State: stack.StateRunning})
	canceller := false
	f.exec = func(ctx context.Context, id string, req stack.ExecOptions) (int, error) {
		// stack.Engine.Exec calls Cancel on a reader that has it.
		_, canceller = req.Stdin.(interface{ Cancel() bool })
		go func() {
			_, err := req.Stdin.Read(make([]byte, 1))
			readErr <- err
		}()
		time.Sleep(20 * time.Millisecond)
		return 7, nil
	}
	sc := newShellCommand(context.Background(), f, "c1", stack.ExecOptions{Cmd: []string{"sh"}})
	sc.SetStdin(inR)
	sc.SetStdout(io.Discard)
	sc.SetStderr(io.Discard)
	if err := sc.Run(); err != nil {
		t.Fatal(err)
	}
	if sc.code != 7 {
		t.Errorf("code %d, want 7", sc.code)
	}
	if !canceller {
		t.Error("the stdin given to Exec has no Cancel method")
	}
	select {
	case err := <-readErr:
		if err == nil {
			t.Error("the pending read returned data")
		}
	case <-time.After(2 * time.Second):
		t.Fatal("the pending stdin read is still waiting after the shell ended")
	}
	io.WriteString(inW, "k")
	buf := make([]byte, 1)
	if n, _ := inR.Read(buf); n != 1 || buf[0] != 'k' {
		t.Errorf("the next key was not left for the screen: %q", buf[:n])
	}
}

// lineShell is a fake shell behind Exec: like the engine's attach it copies
// the terminal into the container until the reader ends (reporting what it
// copied); the shell reads one line, echoes it and exits 3.
func lineShell(started chan<- stack.ExecOptions, copied chan<- string) func(context.Context, string, stack.ExecOptions) (int, error) {
	return func(ctx context.Context, id string, req stack.ExecOptions) (int, error) {
		started <- req
		shellIn, toShell := io.Pipe()
		go func() {
			n, _ := io.Copy(toShell, req.Stdin)
			toShell.Close()
			copied <- strings.Repeat("x", int(n))
		}()
		line, _ := bufio.NewReader(shellIn).ReadString('\n')
		io.WriteString(req.Stdout, "shell got "+line)
		if req.Size != (stack.TermSize{}) {
			return 0, errors.New("a pipe has no terminal size")
		}
		return 3, nil
	}
}
