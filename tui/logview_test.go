package tui

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/devstack/devstack/stack"
)

// logScreen is the shop stack with n numbered web lines, logs focused.
func logScreen(t *testing.T, n int) (*harness, *fakeBackend) {
	f, opts := shopModel(t, Options{})
	hs := newHarness(t, newModel(context.Background(), f, opts), 80, 24)
	var batch []stack.LogLine
	for i := 0; i < n; i++ {
		batch = append(batch, stack.LogLine{Service: "web", Time: t0.Add(time.Duration(i-n) * time.Second),
			Text: fmt.Sprintf("request %d status=%d", i, []int{200, 404, 500}[i%3])})
	}
	f.logs <- batch
	hs.settle()
	hs.keys("tab")
	return hs, f
}

func TestLogFollowAndPause(t *testing.T) {
	hs, f := logScreen(t, 100)
	hs.contains("request 99 ")
	hs.keys("f")
	if hs.m.logs.follow {
		t.Fatal("f did not pause")
	}
	f.logs <- []stack.LogLine{{Service: "web", Time: t0, Text: "request 100 new"}}
	hs.settle()
	if strings.Contains(hs.screen(), "request 100 new") {
		t.Error("a paused view moved to a new line")
	}
	hs.contains("paused")
	hs.keys("f")
	hs.contains("request 100 new")
	hs.contains("following")
}

func TestLogScrollTopBottom(t *testing.T) {
	hs, _ := logScreen(t, 100)
	hs.keys("g")
	hs.contains("request 0 ")
	if hs.m.logs.follow {
		t.Error("g kept following")
	}
	hs.keys("j", "j")
	if s := hs.screen(); strings.Contains(s, "request 1 ") || !strings.Contains(s, "request 2 ") {
		t.Errorf("j j from the top does not start at line 2:\n%s", s)
	}
	hs.keys("k")
	hs.contains("request 1 ")
	hs.keys("G")
	hs.contains("request 99 ")
	if !hs.m.logs.follow {
		t.Error("G did not resume following")
	}
	hs.keys("ctrl+u")
	if hs.m.logs.follow || strings.Contains(hs.screen(), "request 99 ") {
		t.Error("ctrl+u did not scroll a page up")
	}
}

func TestLogSearchNextPrev(t *testing.T) {
	hs, _ := logScreen(t, 100)
	hs.keys("/")
	hs.typeText("status=500")
	hs.keys("enter")
	lv := &hs.m.logs
	cur := func() string {
		e, _ := lv.store.get(lv.index()[lv.match])
		return e.text
	}
	if got := cur(); got != "request 98 status=500" {
		t.Fatalf("search starts at %q, want the last match", got)
	}
	hs.keys("N")
	if got := cur(); got != "request 95 status=500" {
		t.Errorf("N went to %q, want request 95", got)
	}
	hs.keys("N", "n")
	if got := cur(); got != "request 95 status=500" {
		t.Errorf("N n went to %q, want request 95", got)
	}
	hs.contains("search /status=500")
	hs.contains("request 95 status=500")
	hs.keys("esc")
	if lv.search != nil {
		t.Error("esc did not clear the search")
	}
}

func TestLogSearchRegexAndLiteralFallback(t *testing.T) {
	hs, _ := logScreen(t, 30)
	hs.keys("/")
	hs.typeText(`request 1\d `)
	hs.keys("enter")
	e, _ := hs.m.logs.store.get(hs.m.logs.index()[hs.m.logs.match])
	if e.text != "request 19 status=404" {
		t.Errorf("regex search found %q", e.text)
	}
	hs.keys("/")
	hs.typeText("status=(")
	hs.keys("enter")
	hs.contains("not a valid regular expression")
}

func TestLogFilterMode(t *testing.T) {
	hs, f := logScreen(t, 30)
	hs.keys("&")
	hs.typeText("status=404")
	hs.keys("enter")
	s := hs.screen()
	if strings.Contains(s, "status=200") || strings.Contains(s, "status=500") {
		t.Errorf("filter shows other lines:\n%s", s)
	}
	hs.contains("request 28 status=404")
	f.logs <- []stack.LogLine{{Service: "web", Time: t0, Text: "late status=404"}, {Service: "web", Time: t0, Text: "late status=200"}}
	hs.settle()
	hs.contains("late status=404")
	if strings.Contains(hs.screen(), "late status=200") {
		t.Error("a new line that does not match was shown")
	}
	hs.keys("esc")
	hs.contains("late status=200")
}

func TestLogWrapAndTimestamps(t *testing.T) {
	hs, f := logScreen(t, 3)
	long := strings.Repeat("abcdefghij", 20)
	f.logs <- []stack.LogLine{{Service: "web", Time: t0, Text: long}}
	hs.settle()
	if strings.Contains(hs.screen(), "abcdefghij"+"abcdefghij"+"abcdefghij"+"abcdefghij"+"abcdefghij"+"abcdefghij"+"abcdefghij"+"abcdefghij") {
		t.Fatal("a long line was not cut at the width")
	}
	hs.keys("w")
	if joined := strings.NewReplacer(" ", "", "\n", "").Replace(hs.screen()); !strings.Contains(joined, long) {
		t.Errorf("wrap does not show the whole long line:\n%s", hs.screen())
	}
	hs.keys("w", "t")
	hs.contains("10:00:00.000 ")
	hs.contains("timestamps")
	hs.keys("t")
	if strings.Contains(hs.screen(), "10:00:00.000") {
		t.Error("t did not hide timestamps")
	}
}

func TestLogTimeWindowAndService(t *testing.T) {
	hs, _ := logScreen(t, 200)
	hs.keys("T")
	if hs.m.logs.window != time.Minute {
		t.Fatalf("T set window %v", hs.m.logs.window)
	}
	hs.keys("g")
	hs.contains("request 140 ")
	if strings.Contains(hs.screen(), "request 139 ") {
		t.Error("a line older than the window is shown")
	}
	hs.keys("T", "T", "T", "T")
	if hs.m.logs.window != 0 {
		t.Errorf("window did not cycle back to all: %v", hs.m.logs.window)
	}
	hs.keys("tab", "j", "l")
	hs.contains("Logs · db")
	if strings.Contains(hs.screen(), "request") {
		t.Error("the db log shows web lines")
	}
	hs.keys("a")
	hs.contains("Logs · all services")
}

func TestLogSave(t *testing.T) {
	f, opts := shopModel(t, Options{})
	var saved string
	var path string
	opts.WriteFile = func(name string, data []byte) error { path, saved = name, string(data); return nil }
	opts.SaveDir = "/tmp/x"
	hs := newHarness(t, newModel(context.Background(), f, opts), 80, 24)
	f.logs <- shopLogs()
	hs.settle()
	hs.keys("tab", "&")
	hs.typeText("error")
	hs.keys("enter", "ctrl+s")
	if path != "/tmp/x/devstack-shop-all-20260102-100000.log" {
		t.Errorf("saved to %q", path)
	}
	want := "2026-01-02T09:59:44.000Z web | ERROR connection refused: db:3306\n" +
		"2026-01-02T09:59:48.000Z web | POST /api/orders 500 error: timeout after 30s\n"
	if saved != want {
		t.Errorf("saved:\n%s\nwant:\n%s", saved, want)
	}
	hs.contains("saved 2 lines to /tmp/x/devstack-shop-all-20260102-100000.log")
}

func TestLogBatchMergedInTimeOrder(t *testing.T) {
	hs, f := logScreen(t, 0)
	f.logs <- []stack.LogLine{
		{Service: "db", Time: t0.Add(2 * time.Second), Text: "third"},
		{Service: "web", Time: t0, Text: "first"},
		{Service: "db", Time: t0.Add(time.Second), Text: "second"},
	}
	hs.settle()
	s := hs.screen()
	if a, b, c := strings.Index(s, "first"), strings.Index(s, "second"), strings.Index(s, "third"); !(a < b && b < c) {
		t.Errorf("lines not in time order:\n%s", s)
	}
}

func TestLogPrefixNamesReplicas(t *testing.T) {
	hs, f := logScreen(t, 0)
	f.logs <- []stack.LogLine{
		// The replica number comes from the label, not the name: web's
		// second replica is called "custom" here.
		{Service: "web", ContainerName: "shop-web-1", Number: 1, Time: t0, Text: "from one"},
		{Service: "web", ContainerName: "custom", Number: 2, Time: t0, Text: "from two"},
		{Service: "db", ContainerName: "shop-db-1", Number: 1, Time: t0, Text: "from db"},
	}
	hs.settle()
	hs.contains("web#1  │ from one")
	hs.contains("web#2  │ from two")
	hs.contains("db     │ from db")
}

// TestPrefixWidthShortNames checks that merged logs keep their service
// column for short names (a service called "db" lost it once) and drop it
// only on screens too narrow for any name.
func TestPrefixWidthShortNames(t *testing.T) {
	for _, tc := range []struct {
		names []string
		width int
		want  int
	}{
		{[]string{"db"}, 120, 2},
		{[]string{"a"}, 120, 1},
		{[]string{"db", "frontend"}, 120, 8},
		{[]string{"a-very-long-service-name-indeed"}, 120, 20},
		{[]string{"db"}, 8, 0},
	} {
		v := newLogView(100)
		v.setSize(tc.width, 10)
		for _, n := range tc.names {
			v.store.append([]stack.LogLine{{Service: n, Text: "x"}})
		}
		if got := v.prefixWidth(); got != tc.want {
			t.Errorf("names %v at width %d: got prefix width %d, want %d", tc.names, tc.width, got, tc.want)
		}
	}
}

// TestLogsFollowTheSelection: l shows the selected service's logs, which
// then change with the selection; l again (also from the log pane) and a
// go back to all services.
func TestLogsFollowTheSelection(t *testing.T) {
	hs, _ := tableScreen(t)
	hs.keys("j", "l") // db
	hs.contains("Logs · db (selected service)")
	hs.contains("a all-logs") // the way back is on screen
	hs.keys("j")              // web#1
	hs.contains("Logs · web (selected service)")
	hs.send(mouseClick(3, 3)) // db's row
	hs.contains("Logs · db (selected service)")
	hs.keys("tab", "l")
	hs.contains("Logs · all services")
	hs.keys("l")
	hs.contains("Logs · db (selected service)")
	hs.keys("a")
	hs.contains("Logs · all services")
	hs.keys("shift+tab", "j")
	hs.contains("Logs · all services")
	hs.keys(":")
	hs.typeText("logs web")
	hs.keys("enter")
	hs.contains("Logs · web (selected service)")
	hs.keys("esc")
	hs.contains("Logs · all services")
}

// TestSlowLogsWaitForTheNextFrame: after a small batch the logs stream is
// read again only with the next stats sample, so a trickle of lines costs
// one redraw a second; a big batch is followed at once.
func TestSlowLogsWaitForTheNextFrame(t *testing.T) {
	f, opts := shopModel(t, Options{})
	opts.LogsEveryBatch = false
	hs := newHarness(t, newModel(context.Background(), f, opts), 120, 40)
	f.logs <- []stack.LogLine{{Service: "web", Time: t0, Text: "first line"}}
	hs.settle()
	hs.contains("first line")
	f.logs <- []stack.LogLine{{Service: "web", Time: t0.Add(time.Second), Text: "second line"}}
	hs.settle()
	if strings.Contains(hs.screen(), "second line") {
		t.Fatalf("a second small batch was taken before the next frame")
	}
	f.stats <- shopStats()
	hs.settle()
	hs.contains("second line")

	flood := make([]stack.LogLine, logPaceBelow)
	for i := range flood {
		flood[i] = stack.LogLine{Service: "web", Time: t0.Add(2 * time.Second), Text: fmt.Sprintf("flood %d", i)}
	}
	f.logs <- flood
	f.stats <- shopStats() // the next frame takes the flood...
	hs.settle()
	hs.contains(fmt.Sprintf("flood %d", logPaceBelow-1))
	// ...and after a big batch the stream is read again at once.
	f.logs <- []stack.LogLine{{Service: "web", Time: t0.Add(3 * time.Second), Text: "right after the flood"}}
	hs.settle()
	hs.contains("right after the flood")
}
