package tui

import (
	"context"
	"fmt"
	"io"
	"sort"
	"sync/atomic"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/devstack/devstack/stack"
)

// bigStack is a project of n services, each with one running container.
func bigStack(n int) (*stack.Project, []stack.Container, []stack.Stats) {
	p := &stack.Project{Name: "big"}
	var cs []stack.Container
	var ss []stack.Stats
	for i := 0; i < n; i++ {
		name := fmt.Sprintf("svc%02d", i)
		p.Services = append(p.Services, stack.Service{Name: name, Image: "local/busybox",
			Limits: stack.Limits{MemoryBytes: 256 << 20}, Ports: []stack.Port{{HostPort: uint16(9000 + i), ContainerPort: 80}}})
		id := fmt.Sprintf("%s-%020d", name, i)
		cs = append(cs, stack.Container{ID: id, Name: "big-" + name + "-1", Service: name, Number: 1,
			State: stack.StateRunning, StartedAt: t0.Add(-time.Hour), Image: "local/busybox", ImageSize: 2 << 20,
			Ports: []stack.Port{{HostPort: uint16(9000 + i), ContainerPort: 80}}})
		ss = append(ss, stack.Stats{ContainerID: id, Service: name, CPUPercent: float64(i), MemoryUsage: uint64(i+1) << 20,
			NetRxPerSec: 1000, NetTxPerSec: 500})
	}
	return p, cs, ss
}

func logBatch(services, n, from int) []stack.LogLine {
	out := make([]stack.LogLine, n)
	for i := range out {
		k := from + i
		out[i] = stack.LogLine{Service: fmt.Sprintf("svc%02d", k%services), Time: t0.Add(time.Duration(k) * time.Millisecond),
			Text: fmt.Sprintf("2026-01-02 10:00:00 INFO request id=%08d path=/api/items/%d status=200 took=%dms", k, k%977, k%53)}
	}
	return out
}

// BenchmarkLogIngest appends batches of 100 lines from 30 services to the
// rings (10,000 lines each), past the point where they evict.
func BenchmarkLogIngest(b *testing.B) {
	v := newLogView(10000)
	v.setSize(200, 40)
	batches := make([][]stack.LogLine, 64)
	for i := range batches {
		batches[i] = logBatch(30, 100, i*100)
	}
	for i := 0; i < 4000; i++ { // fill the rings first: steady state evicts
		v.ingest(batches[i%len(batches)])
	}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		v.ingest(batches[i%len(batches)])
	}
	b.ReportMetric(float64(b.N*100)/b.Elapsed().Seconds(), "lines/s")
}

// frameModel is the screen at 200x60 with 30 services and a full log.
func frameModel(tb testing.TB) *model {
	p, cs, ss := bigStack(30)
	f := newFake(p, cs...)
	m := newModel(context.Background(), f, Options{Project: p, Now: fixedNow, Theme: ThemeDark})
	m.Update(tea.WindowSizeMsg{Width: 200, Height: 60})
	m.Update(containersMsg{list: cs})
	for i := 0; i < 60; i++ {
		m.onStats(ss)
	}
	for i := 0; i < 100; i++ {
		m.onLogs(logBatch(30, 100, i*100))
	}
	return m
}

// BenchmarkViewFrame renders one whole frame (200x60, 30 services, 10k log
// lines, colours on).
func BenchmarkViewFrame(b *testing.B) {
	m := frameModel(b)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		m.frameOK = false // a frame drawn anew, as after an Update that changed it
		_ = m.View()
	}
	b.ReportMetric(float64(b.Elapsed().Microseconds())/float64(b.N)/1000, "ms/frame")
}

// BenchmarkViewFrameOneOffs is BenchmarkViewFrame with five one-off
// containers in their section below the 30 services.
func BenchmarkViewFrameOneOffs(b *testing.B) {
	m := frameModel(b)
	for i := 1; i <= 5; i++ {
		m.onContainer(containerMsg{id: shopOneOff(i).ID, c: shopOneOff(i)})
	}
	m.table.move(1 << 30) // the last one-off selected: the table scrolls
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		m.frameOK = false // a frame drawn anew, as after an Update that changed it
		_ = m.View()
	}
	b.ReportMetric(float64(b.Elapsed().Microseconds())/float64(b.N)/1000, "ms/frame")
}

// BenchmarkViewFrameWrapSearch is a frame with wrapping and a search on.
func BenchmarkViewFrameWrapSearch(b *testing.B) {
	m := frameModel(b)
	m.logs.wrap = true
	_ = m.logs.setSearch("status=200")
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		m.frameOK = false // a frame drawn anew, as after an Update that changed it
		_ = m.View()
	}
	b.ReportMetric(float64(b.Elapsed().Microseconds())/float64(b.N)/1000, "ms/frame")
}

// BenchmarkFirstFrame is newModel to the first frame with 30 containers:
// subscribe, list, lay out, render (the fake answers at once, so this is
// the screen's own cost).
func BenchmarkFirstFrame(b *testing.B) {
	p, cs, _ := bigStack(30)
	f := newFake(p, cs...)
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		m := newModel(context.Background(), f, Options{Project: p, Now: fixedNow, Theme: ThemeDark})
		m.Update(tea.WindowSizeMsg{Width: 200, Height: 60})
		m.Update(subscribeEvents(m.ctx, f)())
		m.Update(listContainers(m.ctx, f)())
		_ = m.View()
	}
	b.ReportMetric(float64(b.Elapsed().Microseconds())/float64(b.N)/1000, "ms/first-frame")
}

// BenchmarkKeyDuringLogFlood measures how long a key press takes to be
// answered (Update plus the next frame) while 100-line batches from 30
// services arrive between keys: the latency a user sees in a flood.
func BenchmarkKeyDuringLogFlood(b *testing.B) {
	m := frameModel(b)
	keys := []tea.KeyPressMsg{keyMsg("j"), keyMsg("k")}
	lat := make([]time.Duration, 0, b.N)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		m.onLogs(logBatch(30, 100, 10000+i*100))
		start := time.Now()
		m.Update(keys[i%2])
		_ = m.View()
		lat = append(lat, time.Since(start))
	}
	b.StopTimer()
	sort.Slice(lat, func(i, j int) bool { return lat[i] < lat[j] })
	b.ReportMetric(float64(lat[len(lat)/2].Microseconds())/1000, "ms-p50")
	b.ReportMetric(float64(lat[len(lat)*99/100].Microseconds())/1000, "ms-p99")
}

// BenchmarkCutLongLine is the cost of drawing a 100 KB line (the stored
// part, 16 KiB) in a 200-column row.
func BenchmarkCutLongLine(b *testing.B) {
	text, ascii, esc := sanitizeLine(string(make([]rune, 0)) + fmt.Sprintf("\x1b[32m%0100000d\x1b[0m", 7))
	e := &logEntry{text: text, ascii: ascii, esc: esc}
	for i := 0; i < b.N; i++ {
		_ = cutLine(e, 200)
	}
}

// keyTimer passes everything to the screen and notes when a key has been
// handled and the frame after it drawn.
type keyTimer struct {
	*model
	handled chan time.Time
}

func (k keyTimer) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	_, cmd := k.model.Update(msg)
	if _, ok := msg.(tea.KeyPressMsg); ok {
		_ = k.model.View()
		k.handled <- time.Now()
	}
	return k, cmd
}

// BenchmarkKeyLatencyInProgram runs the real program while the log stream
// floods it and measures the time from sending a key to its frame: with
// the stream as fast as the screen reads it (500-line batches from 30
// services), and at 50,000 lines/s (100 lines every 2 ms).
func BenchmarkKeyLatencyInProgram(b *testing.B) {
	b.Run("flood=max", func(b *testing.B) { keyLatency(b, 500, 0) })
	b.Run("flood=50k", func(b *testing.B) { keyLatency(b, 100, 2*time.Millisecond) })
}

func keyLatency(b *testing.B, batch int, every time.Duration) {
	p, cs, _ := bigStack(30)
	f := newFake(p, cs...)
	m := newModel(context.Background(), f, Options{Project: p, Now: fixedNow, Theme: ThemeDark})
	kt := keyTimer{m, make(chan time.Time, 1)}
	prog := tea.NewProgram(kt, tea.WithInput(nil), tea.WithOutput(io.Discard), tea.WithWindowSize(200, 60))
	stop := make(chan struct{})
	var lines atomic.Int64
	go func() {
		for i := 0; ; i++ {
			select {
			case f.logs <- logBatch(30, batch, i*batch):
				lines.Add(int64(batch))
			case <-stop:
				return
			}
			if every > 0 {
				time.Sleep(every)
			}
		}
	}()
	done := make(chan struct{})
	go func() { _, _ = prog.Run(); close(done) }()
	time.Sleep(300 * time.Millisecond)
	lat := make([]time.Duration, 0, b.N)
	start, before := time.Now(), lines.Load()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		sent := time.Now()
		prog.Send(keyMsg([]string{"j", "k"}[i%2]))
		lat = append(lat, (<-kt.handled).Sub(sent))
		time.Sleep(5 * time.Millisecond)
	}
	b.StopTimer()
	rate := float64(lines.Load()-before) / time.Since(start).Seconds()
	close(stop)
	prog.Quit()
	<-done
	sort.Slice(lat, func(i, j int) bool { return lat[i] < lat[j] })
	b.ReportMetric(float64(lat[len(lat)/2].Microseconds())/1000, "ms-p50")
	b.ReportMetric(float64(lat[len(lat)*99/100].Microseconds())/1000, "ms-p99")
	b.ReportMetric(rate, "flood-lines/s")
}
