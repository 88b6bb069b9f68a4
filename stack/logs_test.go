package stack

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"
)

// drainLogs reads a logs stream until it closes or the deadline passes.
func drainLogs(t *testing.T, ch <-chan []LogLine, within time.Duration) []LogLine {
	t.Helper()
	var all []LogLine
	deadline := time.After(within)
	for {
		select {
		case batch, ok := <-ch:
			if !ok {
				return all
			}
			all = append(all, batch...)
		case <-deadline:
			t.Fatalf("logs stream still open after %v; got %d lines", within, len(all))
		}
	}
}

func texts(lines []LogLine) []string {
	out := make([]string, len(lines))
	for i, l := range lines {
		out[i] = l.Text
	}
	return out
}

func TestContainerLogsStreamsAndTimes(t *testing.T) {
	p := newStreamProject(t)
	script := `echo out1; echo err1 >&2; printf '\033[31mred\033[0m\n'; echo out2`
	id := p.run(t, ctrSpec{Cmd: []string{"sh", "-c", script}})
	p.wait(t, id)
	before := time.Now().Add(-time.Minute)
	ch, err := p.e.containerLogs(context.Background(), id, LogsOptions{Tail: -1})
	if err != nil {
		t.Fatal(err)
	}
	got := drainLogs(t, ch, 20*time.Second)
	want := map[string]Stream{"out1": Stdout, "err1": Stderr, "\x1b[31mred\x1b[0m": Stdout, "out2": Stdout}
	if len(got) != len(want) {
		t.Fatalf("got lines %q, want %d lines", texts(got), len(want))
	}
	for i, l := range got {
		if s, ok := want[l.Text]; !ok || s != l.Stream {
			t.Errorf("line %q on stream %v: not expected there", l.Text, l.Stream)
		}
		if l.Time.Before(before) || l.Time.After(time.Now().Add(time.Minute)) {
			t.Errorf("line %q: time %v is not the time it was written", l.Text, l.Time)
		}
		if i > 0 && l.Time.Before(got[i-1].Time) {
			t.Errorf("line %q is older than the line before it", l.Text)
		}
		if l.Service != "app" || l.ContainerID != id || !strings.HasPrefix(l.ContainerName, p.name) {
			t.Errorf("line %q: origin %q %q %q", l.Text, l.Service, l.ContainerID, l.ContainerName)
		}
	}
}

func TestContainerLogsTTYAndLongLines(t *testing.T) {
	p := newStreamProject(t)
	tty := p.run(t, ctrSpec{TTY: true, Cmd: []string{"sh", "-c", "echo tty1; echo tty2 >&2"}})
	// The engine stores a 100 000-byte line as 16 KiB messages, each with
	// its own timestamp; they must come back joined, without timestamps.
	long := p.run(t, ctrSpec{Cmd: []string{"sh", "-c", "head -c 100000 /dev/zero | tr '\\0' a; echo; echo end"}})
	p.wait(t, tty)
	p.wait(t, long)

	ch, err := p.e.containerLogs(context.Background(), tty, LogsOptions{Tail: -1})
	if err != nil {
		t.Fatal(err)
	}
	got := drainLogs(t, ch, 20*time.Second)
	if strings.Join(texts(got), "|") != "tty1|tty2" {
		t.Errorf("tty: got %q, want [tty1 tty2] without \\r", texts(got))
	}

	ch, err = p.e.containerLogs(context.Background(), long, LogsOptions{Tail: -1})
	if err != nil {
		t.Fatal(err)
	}
	got = drainLogs(t, ch, 20*time.Second)
	if len(got) != 3 || len(got[0].Text) != maxLogLine || len(got[1].Text) != 100000-maxLogLine || got[2].Text != "end" {
		t.Fatalf("long line: got %d lines (%d, ...), want pieces of %d and %d then 'end'",
			len(got), len(got[0].Text), maxLogLine, 100000-maxLogLine)
	}
	if strings.Trim(got[0].Text+got[1].Text, "a") != "" {
		t.Errorf("long line has foreign bytes in it (a timestamp?)")
	}
}

func TestLastLogsAndTail(t *testing.T) {
	p := newStreamProject(t)
	id := p.run(t, ctrSpec{Cmd: []string{"sh", "-c", "for i in 1 2 3 4 5 6 7 8 9 10; do echo line$i; done; exit 1"}})
	p.wait(t, id)
	last, err := p.e.lastLogs(context.Background(), id, 3)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(last, ",") != "line8,line9,line10" {
		t.Errorf("lastLogs(3): got %q, want line8..line10", last)
	}
	ch, err := p.e.containerLogs(context.Background(), id, LogsOptions{Tail: 0})
	if err != nil {
		t.Fatal(err)
	}
	if got := drainLogs(t, ch, 20*time.Second); len(got) != 0 {
		t.Errorf("Tail 0: got %q, want nothing", texts(got))
	}
	if _, err := p.e.lastLogs(context.Background(), "no-such-container-"+p.name, 3); err == nil {
		t.Error("lastLogs of a missing container: no error")
	}
}

func TestLogsProjectServicesAndSince(t *testing.T) {
	p := newStreamProject(t)
	a := p.run(t, ctrSpec{Service: "web", Cmd: []string{"sh", "-c", "echo web-old; sleep 1.2; echo web-new"}})
	b := p.run(t, ctrSpec{Service: "db", Cmd: []string{"echo", "db-line"}})
	p.wait(t, a)
	p.wait(t, b)
	ctx := context.Background()
	ch, err := p.e.Logs(ctx, p.name, LogsOptions{Tail: -1})
	if err != nil {
		t.Fatal(err)
	}
	all := texts(drainLogs(t, ch, 20*time.Second))
	slices.Sort(all)
	if strings.Join(all, ",") != "db-line,web-new,web-old" {
		t.Errorf("all services: got %q", all)
	}
	ch, err = p.e.Logs(ctx, p.name, LogsOptions{Tail: -1, Services: []string{"web"}})
	if err != nil {
		t.Fatal(err)
	}
	web := drainLogs(t, ch, 20*time.Second)
	if strings.Join(texts(web), ",") != "web-old,web-new" {
		t.Fatalf("service web: got %q", texts(web))
	}
	ch, err = p.e.Logs(ctx, p.name, LogsOptions{Tail: -1, Services: []string{"web"}, Since: web[1].Time.Add(-500 * time.Millisecond)})
	if err != nil {
		t.Fatal(err)
	}
	if got := texts(drainLogs(t, ch, 20*time.Second)); strings.Join(got, ",") != "web-new" {
		t.Errorf("since: got %q, want [web-new]", got)
	}
}

// TestLogsFollowPicksUpStarts follows a project while a container is
// started again (its lines must not repeat) and a new one is created (it
// must be picked up).
func TestLogsFollowPicksUpStarts(t *testing.T) {
	p := newStreamProject(t)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	again := p.run(t, ctrSpec{Service: "job", Cmd: []string{"sh", "-c", "echo run-$(date +%s%N)"}})
	p.wait(t, again)
	ch, err := p.e.Logs(ctx, p.name, LogsOptions{Follow: true, Tail: -1})
	if err != nil {
		t.Fatal(err)
	}
	var mu sync.Mutex
	var got []LogLine
	go func() {
		for batch := range ch {
			mu.Lock()
			got = append(got, batch...)
			mu.Unlock()
		}
	}()
	count := func(prefix string) int {
		mu.Lock()
		defer mu.Unlock()
		n := 0
		for _, l := range got {
			if strings.HasPrefix(l.Text, prefix) {
				n++
			}
		}
		return n
	}
	waitFor := func(prefix string, n int) {
		t.Helper()
		for deadline := time.Now().Add(20 * time.Second); count(prefix) < n; time.Sleep(20 * time.Millisecond) {
			if time.Now().After(deadline) {
				mu.Lock()
				defer mu.Unlock()
				t.Fatalf("waited for %d lines %q*, got %q", n, prefix, texts(got))
			}
		}
	}
	waitFor("run-", 1)
	for i := 2; i <= 3; i++ {
		p.start(t, again)
		p.wait(t, again)
		waitFor("run-", i)
	}
	late := p.run(t, ctrSpec{Service: "late", Cmd: []string{"sh", "-c", "echo late-1; sleep 0.3; echo late-2"}})
	waitFor("late-", 2)
	p.wait(t, late)
	time.Sleep(500 * time.Millisecond) // room for a duplicate to show up
	if n := count("run-"); n != 3 {
		t.Errorf("container started 3 times: got %d run lines, want 3", n)
	}
	if n := count("late-"); n != 2 {
		t.Errorf("late container: got %d lines, want 2", n)
	}
}

// TestLogsFollowSurvivesEngineConnectionLoss cuts the connection to the
// engine (through a proxy socket) while a container counts on its output:
// once the connection is back, the count continues with no number lost or
// repeated.
func TestLogsFollowSurvivesEngineConnectionLoss(t *testing.T) {
	p := newStreamProject(t)
	proxy := newSocketProxy(t, strings.TrimPrefix(p.e.Host, "unix://"))
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	viaProxy, err := Connect(ctx, ConnectOptions{Host: "unix://" + proxy.path})
	if err != nil {
		t.Fatal(err)
	}
	defer viaProxy.Close()
	p.run(t, ctrSpec{Service: "counter", Cmd: []string{"sh", "-c", "i=0; while :; do i=$((i+1)); echo n$i; sleep 0.05; done"}})
	ch, err := viaProxy.Logs(ctx, p.name, LogsOptions{Follow: true, Tail: -1})
	if err != nil {
		t.Fatal(err)
	}
	var mu sync.Mutex
	var got []string
	go func() {
		for batch := range ch {
			mu.Lock()
			got = append(got, texts(batch)...)
			mu.Unlock()
		}
	}()
	seen := func() int {
		mu.Lock()
		defer mu.Unlock()
		return len(got)
	}
	waitLines := func(n int) {
		t.Helper()
		for deadline := time.Now().Add(20 * time.Second); seen() < n; time.Sleep(20 * time.Millisecond) {
			if time.Now().After(deadline) {
				t.Fatalf("waited for %d lines, got %d", n, seen())
			}
		}
	}
	waitLines(10)
	proxy.cut()
	time.Sleep(time.Second) // the container goes on counting meanwhile
	before := seen()
	proxy.resume(t)
	waitLines(before + 40)
	mu.Lock()
	defer mu.Unlock()
	for i, text := range got {
		if want := fmt.Sprintf("n%d", i+1); text != want {
			t.Fatalf("line %d is %q, want %q (lines %q)", i, text, want, got[max(0, i-3):min(len(got), i+3)])
		}
	}
}
