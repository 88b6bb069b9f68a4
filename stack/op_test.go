package stack

import (
	"context"
	"errors"
	"testing"
	"time"
)

// TestOpDeliversEverythingInBatches floods an Op's progress and expects
// every step, in order, in fewer batches than steps, then the outcome.
func TestOpDeliversEverythingInBatches(t *testing.T) {
	const n = 100000
	boom := errors.New("boom")
	op := StartOp(context.Background(), func(ctx context.Context, progress ProgressFunc) error {
		for i := 0; i < n; i++ {
			progress(Progress{Step: i})
		}
		return boom
	})
	got, batches := 0, 0
	for batch := range op.Progress() {
		batches++
		for _, p := range batch {
			if p.Step != got {
				t.Fatalf("got step %d, want %d", p.Step, got)
			}
			got++
		}
	}
	if got != n || batches >= n/10 {
		t.Errorf("got %d steps in %d batches, want %d in far fewer batches", got, batches, n)
	}
	if err := op.Wait(); !errors.Is(err, boom) {
		t.Errorf("Wait: got %v, want boom", err)
	}
}

// TestOpEndsWithCtx: a cancelled operation's stream closes even when
// nobody reads it, and the operation is not left blocked.
func TestOpEndsWithCtx(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	op := StartOp(ctx, func(ctx context.Context, progress ProgressFunc) error {
		for ctx.Err() == nil {
			progress(Progress{Text: "x"})
		}
		return ctx.Err()
	})
	time.Sleep(20 * time.Millisecond)
	cancel()
	done := make(chan error)
	go func() { done <- op.Wait() }()
	select {
	case err := <-done:
		if !errors.Is(err, context.Canceled) {
			t.Errorf("Wait: got %v, want context.Canceled", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("the operation stayed blocked on its progress after ctx ended")
	}
}

func TestOutputProgressParsesSteps(t *testing.T) {
	tests := []struct {
		line        string
		step, steps int
	}{
		{"Step 2/5 : RUN make", 2, 5},
		{"#7 [build 3/4] RUN go build ./...", 3, 4},
		{"#7 [2/4] COPY . .", 2, 4},
		{" ---> Running in 1234", 0, 0},
	}
	for _, tt := range tests {
		p := outputProgress("web", tt.line)
		if p.Step != tt.step || p.Total != tt.steps || p.Kind != ProgressOutput || p.Text != tt.line {
			t.Errorf("outputProgress(%q): got %+v, want step %d/%d", tt.line, p, tt.step, tt.steps)
		}
	}
}
