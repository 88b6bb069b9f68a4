//go:build unix

package stack

import (
	"context"
	"testing"
	"time"

	"github.com/moby/moby/client"

	"github.com/devstack/devstack/stack/internal/cgroups"
)

// BenchmarkStackDisk measures the dashboard header's disk figure next to
// its floor, the engine's own /system/df call: wall time per call (which
// on a busy shared engine is mostly waiting) and the CPU dockerd and
// containerd spend per call, with what measuring once a minute costs as
// points of one core.
func BenchmarkStackDisk(b *testing.B) {
	e := testEngine(b)
	ctx := context.Background()
	daemons := daemonPids(b)
	b.Run("floor=DiskUsage", func(b *testing.B) {
		d0 := sumTicks(daemons)
		for b.Loop() {
			if _, err := e.api.DiskUsage(ctx, client.DiskUsageOptions{Containers: true, Images: true, Volumes: true, BuildCache: true, Verbose: true}); err != nil {
				b.Fatal(err)
			}
		}
		reportPerMinute(b, daemons, d0)
	})
	b.Run("StackDisk", func(b *testing.B) {
		d0 := sumTicks(daemons)
		for b.Loop() {
			if _, err := e.StackDisk(ctx, CleanTarget{Name: "dstest-bench-disk"}); err != nil {
				b.Fatal(err)
			}
		}
		reportPerMinute(b, daemons, d0)
	})
}

func reportPerMinute(b *testing.B, daemons []int, ticks0 uint64) {
	engineCPU := time.Duration(sumTicks(daemons)-ticks0) * (time.Second / cgroups.ClockTicks) / time.Duration(b.N)
	b.ReportMetric(float64((b.Elapsed() / time.Duration(b.N)).Milliseconds()), "wall-ms/call")
	b.ReportMetric(float64(engineCPU.Milliseconds()), "engine-cpu-ms/call")
	b.ReportMetric(100*engineCPU.Seconds()/60, "engine-points@1/min")
}
