package termsize

import (
	"sync"
	"testing"
	"time"
)

// TestPollReportsChangesOnly runs the Windows way of following the console
// (compiled on every platform so it is tested here): a change is reported,
// an unchanged or unreadable size is not.
func TestPollReportsChangesOnly(t *testing.T) {
	var mu sync.Mutex
	size, ok := Size{Rows: 24, Cols: 80}, true
	set := func(s Size, readable bool) {
		mu.Lock()
		size, ok = s, readable
		mu.Unlock()
	}
	get := func() (Size, bool) {
		mu.Lock()
		defer mu.Unlock()
		return size, ok
	}
	done := make(chan struct{})
	defer close(done)
	changed := poll(get, time.Millisecond, done)

	expectNone := func(why string) {
		t.Helper()
		select {
		case <-changed:
			t.Fatalf("change reported %s", why)
		case <-time.After(30 * time.Millisecond):
		}
	}
	expectOne := func(why string) {
		t.Helper()
		select {
		case <-changed:
		case <-time.After(5 * time.Second):
			t.Fatalf("no change reported %s", why)
		}
	}
	expectNone("while the size stayed 80x24")
	set(Size{Rows: 40, Cols: 120}, true)
	expectOne("after a resize to 120x40")
	expectNone("after the resize was reported once")
	set(Size{}, false)
	expectNone("while the size could not be read")
	set(Size{Rows: 40, Cols: 120}, true)
	expectNone("when the readable size is the one already reported")
}
