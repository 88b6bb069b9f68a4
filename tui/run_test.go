package tui

import (
	"context"
	"errors"
	"io"
	"os"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/devstack/devstack/stack"
)

// panickyFake panics in a targeted inspect, in a command goroutine.
type panickyFake struct{ *fakeBackend }

func (panickyFake) Inspect(ctx context.Context, id string) (stack.Container, error) {
	panic("inspect exploded")
}

func runOnPipe(t *testing.T, b Backend, opts Options, input string, then func()) (string, error) {
	t.Helper()
	inR, inW, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	// inR stays open: after a kill Bubble Tea does not wait for its input
	// reader, which may still be polling it. Closing inW ends that reader.
	defer inW.Close()
	out := &safeBuffer{}
	var in io.Reader = inR
	if input == "" {
		// No input reader: after a kill (the panic path) Bubble Tea closes
		// its reader without waiting for it, a race inside the library that
		// -race reports; a program without input has no reader.
		in = nil
	}
	done := make(chan error, 1)
	go func() {
		done <- runProgram(context.Background(), b, opts, tea.WithInput(in), tea.WithOutput(out), tea.WithWindowSize(80, 24))
	}()
	time.Sleep(200 * time.Millisecond)
	io.WriteString(inW, input)
	if then != nil {
		then()
	}
	select {
	case err := <-done:
		return out.String(), err
	case <-time.After(5 * time.Second):
		t.Fatal("the program did not end")
	}
	return "", nil
}

// restored reports whether the output leaves the alternate screen and
// shows the cursor again after the last frame.
func restored(out string) bool {
	leave := strings.LastIndex(out, "\x1b[?1049l")
	show := strings.LastIndex(out, "\x1b[?25h")
	enter := strings.LastIndex(out, "\x1b[?1049h")
	return leave > enter && show > enter
}

func TestRunRestoresTerminalOnQuit(t *testing.T) {
	f, opts := shopModel(t, Options{})
	out, err := runOnPipe(t, f, opts, "q", nil)
	if err != nil {
		t.Fatalf("quit returned %v", err)
	}
	if !strings.Contains(out, "\x1b[?1049h") || !restored(out) {
		t.Errorf("the terminal was not put back: %q", tail(out))
	}
}

func TestRunRestoresTerminalOnPanic(t *testing.T) {
	f, opts := shopModel(t, Options{})
	out, err := runOnPipe(t, panickyFake{f}, opts, "", func() {
		f.events <- []stack.Event{{ContainerID: "db0000000000000000000000", Action: "die"}}
	})
	if err == nil || !errors.Is(err, tea.ErrProgramPanic) {
		t.Fatalf("a panic returned %v, want an error wrapping ErrProgramPanic", err)
	}
	if !restored(out) {
		t.Errorf("the terminal was not put back after a panic: %q", tail(out))
	}
}

func tail(s string) string {
	if len(s) > 200 {
		return s[len(s)-200:]
	}
	return s
}

func TestRunEndsWithContext(t *testing.T) {
	f, opts := shopModel(t, Options{})
	ctx, cancel := context.WithCancel(context.Background())
	out := &safeBuffer{}
	done := make(chan error, 1)
	go func() {
		done <- runProgram(ctx, f, opts, tea.WithInput(nil), tea.WithOutput(out), tea.WithWindowSize(80, 24))
	}()
	time.Sleep(200 * time.Millisecond)
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("cancelling the context returned %v, want nil", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("the program did not end with its context")
	}
	if !restored(out.String()) {
		t.Error("the terminal was not put back")
	}
}
