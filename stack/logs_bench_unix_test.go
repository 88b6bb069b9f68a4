//go:build unix

package stack

import (
	"bytes"
	"context"
	"fmt"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/moby/moby/client"
)

const floodWindow = 5 * time.Second

// BenchmarkLogsFlood measures how many lines per second Logs delivers from
// a container that writes as fast as it can, next to what the engine itself
// sends on a raw log stream in the same run (the ceiling), with allocations
// per line and devstack's CPU use while it keeps up. Two floods: busybox
// yes (80-byte lines on stdout) and loadgen (short lines alternating
// between stdout and stderr).
//
//	go test ./stack -run XXX -bench LogsFlood -benchtime 1x
func BenchmarkLogsFlood(b *testing.B) {
	floods := []struct {
		name string
		spec ctrSpec
	}{
		{"yes", ctrSpec{Service: "flood", Cmd: []string{"yes", strings.Repeat("y", 79)}}},
		{"loadgen", ctrSpec{Service: "flood", Image: "local/loadgen", Cmd: []string{"/loadgen", "-lines", "-1", "-stream", "both"}}},
	}
	for _, f := range floods {
		b.Run(f.name, func(b *testing.B) {
			f.spec.LogMaxSize = "20m"
			benchFlood(b, f.spec)
		})
	}
}

func benchFlood(b *testing.B, spec ctrSpec) {
	p := newStreamProject(b)
	id := p.run(b, spec)
	time.Sleep(time.Second) // let the flood reach its pace

	raw, rawCPU := rawLogRate(b, p.e, id)

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
	b.ReportMetric(rawCPU, "raw-read-cpu-%")
	b.ReportMetric(float64(after.Mallocs-before.Mallocs)/float64(lines), "allocs/line")
	b.ReportMetric(float64(lines)/float64(batches), "lines/batch")
	b.ReportMetric(100*cpu.Seconds()/elapsed.Seconds(), "cpu-%-of-core")
	fmt.Printf("devstack %.0f lines/s, raw engine stream %.0f lines/s (reading it: %.1f%% of a core), %.2f allocs/line, %.0f lines/batch, devstack CPU %.1f%% of a core\n",
		rate, raw, rawCPU, float64(after.Mallocs-before.Mallocs)/float64(lines), float64(lines)/float64(batches), 100*cpu.Seconds()/elapsed.Seconds())
}

// rawLogRate counts the newlines of a bare log stream for the window: the
// most any client can get from this engine, and the CPU (percent of a
// core) that merely reading it costs.
func rawLogRate(b *testing.B, e *Engine, id string) (linesPerSec, cpuPercent float64) {
	ctx, cancel := context.WithTimeout(context.Background(), floodWindow)
	defer cancel()
	body, err := e.api.ContainerLogs(ctx, id, client.ContainerLogsOptions{
		ShowStdout: true, ShowStderr: true, Follow: true, Tail: "0", Timestamps: true,
	})
	if err != nil {
		b.Fatal(err)
	}
	defer body.Close()
	start, cpu0 := time.Now(), selfCPU()
	buf := make([]byte, 64<<10)
	n := 0
	for {
		k, err := body.Read(buf)
		n += bytes.Count(buf[:k], []byte{'\n'})
		if err != nil {
			break
		}
	}
	secs := time.Since(start).Seconds()
	return float64(n) / secs, 100 * (selfCPU() - cpu0).Seconds() / secs
}
