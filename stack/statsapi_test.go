package stack

import (
	"testing"

	"github.com/moby/moby/api/types/container"
)

func TestFromStatsResponseSubtractsCache(t *testing.T) {
	v1 := container.StatsResponse{MemoryStats: container.MemoryStats{
		Usage: 1000, Stats: map[string]uint64{"total_inactive_file": 300, "inactive_file": 100},
	}}
	v2 := container.StatsResponse{MemoryStats: container.MemoryStats{
		Usage: 1000, Stats: map[string]uint64{"inactive_file": 100},
	}}
	if got := fromStatsResponse(v1).MemUsage; got != 700 {
		t.Errorf("cgroup v1: got %d, want 700", got)
	}
	if got := fromStatsResponse(v2).MemUsage; got != 900 {
		t.Errorf("cgroup v2: got %d, want 900", got)
	}
}
