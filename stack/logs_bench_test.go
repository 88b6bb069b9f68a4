package stack

import (
	"bytes"
	"context"
	"fmt"
	"runtime"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/moby/moby/client"
)

const floodWindow = 5 * time.Second

// BenchmarkLogsFlood measures how many lines per second Logs delivers from
// a container that writes as fast as it can (busybox yes), next to what the
// engine itself sends on a raw log stream in the same run (the ceiling),
// with allocations per line and devstack's CPU use while it keeps up.
//
//	go test ./stack -run XXX -bench LogsFlood -benchtime 1x
func BenchmarkLogsFlood(b *testing.B) {
	p := newStreamProject(b)
	id := p.run(b, ctrSpec{Service: "flood", Cmd: []string{"yes", strings.Repeat("y", 79)}, LogMaxSize: "20m"})
	time.Sleep(time.Second) // let the flood reach its pace

	raw := rawLogRate(b, p.e, id)

	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	ch, err := p.e.Logs(ctx, p.name, LogsOptions{Follow: true, Tail: 0})
	if err != nil {
		b.Fatal(err)
	}
	var lines, batches int
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	cpu0 := selfCPU()
	start := time.Now()
	for time.Since(start) < floodWindow {
		batch := <-ch
		lines += len(batch)
		batches++
	}
	elapsed := time.Since(start)
	cpu := selfCPU() - cpu0
	runtime.ReadMemStats(&after)
	cancel()

	rate := float64(lines) / elapsed.Seconds()
	b.ReportMetric(rate, "lines/s")
	b.ReportMetric(raw, "engine-lines/s")
	b.ReportMetric(float64(after.Mallocs-before.Mallocs)/float64(lines), "allocs/line")
	b.ReportMetric(float64(lines)/float64(batches), "lines/batch")
	b.ReportMetric(100*cpu.Seconds()/elapsed.Seconds(), "cpu-%-of-core")
	fmt.Printf("devstack %.0f lines/s, raw engine stream %.0f lines/s, %.2f allocs/line, %.0f lines/batch, devstack CPU %.1f%% of a core\n",
		rate, raw, float64(after.Mallocs-before.Mallocs)/float64(lines), float64(lines)/float64(batches), 100*cpu.Seconds()/elapsed.Seconds())
}

// rawLogRate counts the newlines of a bare log stream for the window: the
// most any client can get from this engine.
func rawLogRate(b *testing.B, e *Engine, id string) float64 {
	ctx, cancel := context.WithTimeout(context.Background(), floodWindow)
	defer cancel()
	body, err := e.api.ContainerLogs(ctx, id, client.ContainerLogsOptions{
		ShowStdout: true, ShowStderr: true, Follow: true, Tail: "0", Timestamps: true,
	})
	if err != nil {
		b.Fatal(err)
	}
	defer body.Close()
	start := time.Now()
	buf := make([]byte, 64<<10)
	n := 0
	for {
		k, err := body.Read(buf)
		n += bytes.Count(buf[:k], []byte{'\n'})
		if err != nil {
			break
		}
	}
	return float64(n) / time.Since(start).Seconds()
}

// selfCPU is the CPU time this process has used so far.
func selfCPU() time.Duration {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
