package stack

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/moby/moby/api/types/container"
	"github.com/moby/moby/client"
)

// apiSample asks the engine for one sample of a container's counters: the
// fallback when the cgroup files cannot be read (remote engine, Docker
// Desktop, rootless). It is a single one-shot request, never a stream:
// one open stats stream per container costs the engine about 1% of a core
// each.
func (e *Engine) apiSample(ctx context.Context, id string) (rawSample, error) {
	ctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	res, err := e.api.ContainerStats(ctx, id, client.ContainerStatsOptions{Stream: false})
	if err != nil {
		return rawSample{}, fmt.Errorf("stats %.12s: %w", id, err)
	}
	defer res.Body.Close()
	var st container.StatsResponse
	if err := json.NewDecoder(res.Body).Decode(&st); err != nil {
		return rawSample{}, fmt.Errorf("stats %.12s: %w", id, err)
	}
	return fromStatsResponse(st), nil
}

// fromStatsResponse reads the counters the way the docker CLI does.
func fromStatsResponse(st container.StatsResponse) rawSample {
	s := rawSample{
		time:       st.Read,
		cpu:        st.CPUStats.CPUUsage.TotalUsage,
		system:     st.CPUStats.SystemUsage,
		onlineCPUs: int(st.CPUStats.OnlineCPUs),
		memLimit:   st.MemoryStats.Limit,
		pids:       st.PidsStats.Current,
	}
	if s.onlineCPUs == 0 {
		s.onlineCPUs = len(st.CPUStats.CPUUsage.PercpuUsage)
	}
	if s.time.IsZero() {
		s.time = time.Now()
	}
	mem := st.MemoryStats
	if v, v1 := mem.Stats["total_inactive_file"]; v1 {
		s.memUsage = withoutCache(mem.Usage, v)
	} else {
		s.memUsage = withoutCache(mem.Usage, mem.Stats["inactive_file"])
	}
	for _, n := range st.Networks {
		s.netRx += n.RxBytes
		s.netTx += n.TxBytes
	}
	for _, b := range st.BlkioStats.IoServiceBytesRecursive {
		switch strings.ToLower(b.Op) {
		case "read":
			s.blkRead += b.Value
		case "write":
			s.blkWrite += b.Value
		}
	}
	return s
}
