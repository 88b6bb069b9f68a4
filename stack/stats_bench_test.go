package stack

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/moby/moby/api/types/container"
	"github.com/moby/moby/client"
)

var statsWindow = flag.Duration("stats.window", 20*time.Second, "how long BenchmarkStatsScheduler measures each mode")

// BenchmarkStatsScheduler watches 30 idle containers and measures the CPU
// that devstack (this process) and the engine (dockerd, containerd and the
// shims) use meanwhile, in points of one core, for: nothing watching (the
// idle baseline), the scheduler reading cgroup files, the scheduler with
// one-shot API requests, and — for reference — a streaming ContainerStats
// per container, as docker stats and lazydocker do. Budget: cgroup mode at
// most 3 points above idle.
//
//	go test ./stack -run XXX -bench StatsScheduler -benchtime 1x [-stats.window 20s]
func BenchmarkStatsScheduler(b *testing.B) {
	p := newStreamProject(b)
	ids := make([]string, 30)
	for i := range ids {
		ids[i] = p.run(b, ctrSpec{Service: fmt.Sprintf("idle%02d", i), Cmd: []string{"sleep", "3600"}})
	}
	time.Sleep(3 * time.Second) // let the starts settle
	modes := []struct {
		name  string
		watch func(ctx context.Context)
	}{
		{"idle", func(context.Context) {}},
		{"cgroup", func(ctx context.Context) { drainStats(p.e.Stats(ctx, p.name, StatsOptions{})) }},
		{"api-oneshot", func(ctx context.Context) { drainStats(p.e.Stats(ctx, p.name, StatsOptions{UseAPI: true})) }},
		{"api-stream", func(ctx context.Context) { streamAllStats(ctx, p.e, ids) }},
	}
	var idle float64
	for _, m := range modes {
		points := measurePoints(b, *statsWindow, m.watch)
		if m.name == "idle" {
			idle = points
		}
		b.ReportMetric(points, m.name+"-pts")
		b.Logf("%-12s %5.1f points of one core (%+.1f above idle)", m.name, points, points-idle)
	}
}

// measurePoints runs watch for the window and returns the CPU this process
// and the engine's processes used, in percent of one core.
func measurePoints(b *testing.B, window time.Duration, watch func(ctx context.Context)) float64 {
	ctx, cancel := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	wg.Go(func() { watch(ctx) })
	time.Sleep(2 * time.Second) // past the start-up listing and inspects
	engine := enginePids(b)
	e0, s0, t0 := sumTicks(engine), selfCPU(), time.Now()
	time.Sleep(window)
	e1, s1, t1 := sumTicks(engine), selfCPU(), time.Now()
	cancel()
	wg.Wait()
	used := time.Duration(e1-e0)*(time.Second/clockTicks) + (s1 - s0)
	return 100 * used.Seconds() / t1.Sub(t0).Seconds()
}

func drainStats(ch <-chan []Stats) {
	for range ch {
	}
}

// streamAllStats is what docker stats does: one open stream per container.
func streamAllStats(ctx context.Context, e *Engine, ids []string) {
	var wg sync.WaitGroup
	for _, id := range ids {
		wg.Go(func() {
			res, err := e.api.ContainerStats(ctx, id, client.ContainerStatsOptions{Stream: true})
			if err != nil {
				return
			}
			defer res.Body.Close()
			dec := json.NewDecoder(res.Body)
			for {
				var st container.StatsResponse
				if dec.Decode(&st) != nil {
					return
				}
			}
		})
	}
	wg.Wait()
}

// enginePids finds dockerd, containerd and every containerd shim.
func enginePids(b *testing.B) []int {
	dirs, err := filepath.Glob("/proc/[0-9]*/comm")
	if err != nil {
		b.Fatal(err)
	}
	var pids []int
	for _, d := range dirs {
		comm, err := os.ReadFile(d)
		if err != nil {
			continue
		}
		name := strings.TrimSpace(string(comm))
		if name == "dockerd" || strings.HasPrefix(name, "containerd") {
			pid, _ := strconv.Atoi(strings.Split(d, "/")[2])
			pids = append(pids, pid)
		}
	}
	if len(pids) < 2 {
		b.Fatalf("found engine processes %v; want at least dockerd and containerd on this machine", pids)
	}
	return pids
}

func sumTicks(pids []int) uint64 {
	var sum uint64
	for _, pid := range pids {
		n, err := procTicks(pid)
		if err == nil {
			sum += n
		}
	}
	return sum
}

// procTicks is the CPU time of a process and of its children it has
// reaped (utime+stime+cutime+cstime of /proc/<pid>/stat), in clock ticks.
func procTicks(pid int) (uint64, error) {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return 0, err
	}
	// The command name may hold spaces and parentheses: count from the last ')'.
	i := strings.LastIndexByte(string(b), ')')
	f := strings.Fields(string(b[i+1:]))
	if len(f) < 15 {
		return 0, fmt.Errorf("/proc/%d/stat: %d fields", pid, len(f))
	}
	var sum uint64
	for _, v := range f[11:15] {
		n, err := strconv.ParseUint(v, 10, 64)
		if err != nil {
			return 0, fmt.Errorf("/proc/%d/stat: %w", pid, err)
		}
		sum += n
	}
	return sum, nil
}
