package stack

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/moby/moby/api/types/container"
	"github.com/moby/moby/client"

	"github.com/devstack/devstack/stack/internal/cgroups"
)

// apiSample asks the engine for one sample of a container's counters: the
// fallback when the cgroup files cannot be read (remote engine, Docker
// Desktop, rootless). It is a single one-shot request, never a stream:
// one open stats stream per container costs the engine about 1% of a core
// each.
func (e *Engine) apiSample(ctx context.Context, id string) (cgroups.Sample, error) {
	ctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	res, err := e.api.ContainerStats(ctx, id, client.ContainerStatsOptions{Stream: false})
	if err != nil {
		return cgroups.Sample{}, fmt.Errorf("stats %.12s: %w", id, err)
	}
	defer res.Body.Close()
	var st container.StatsResponse
	if err := json.NewDecoder(res.Body).Decode(&st); err != nil {
		return cgroups.Sample{}, fmt.Errorf("stats %.12s: %w", id, err)
	}
	return fromStatsResponse(st), nil
}

// fromStatsResponse reads the counters the way the docker CLI does.
func fromStatsResponse(st container.StatsResponse) cgroups.Sample {
	s := cgroups.Sample{
		Time:       st.Read,
		CPU:        st.CPUStats.CPUUsage.TotalUsage,
		System:     st.CPUStats.SystemUsage,
		OnlineCPUs: int(st.CPUStats.OnlineCPUs),
		MemLimit:   st.MemoryStats.Limit,
		Pids:       st.PidsStats.Current,
	}
	if s.OnlineCPUs == 0 {
		s.OnlineCPUs = len(st.CPUStats.CPUUsage.PercpuUsage)
	}
	if s.Time.IsZero() {
		s.Time = time.Now()
	}
	mem := st.MemoryStats
	if v, v1 := mem.Stats["total_inactive_file"]; v1 {
		s.MemUsage = cgroups.WithoutCache(mem.Usage, v)
	} else {
		s.MemUsage = cgroups.WithoutCache(mem.Usage, mem.Stats["inactive_file"])
	}
	for _, n := range st.Networks {
		s.NetRx += n.RxBytes
		s.NetTx += n.TxBytes
	}
	for _, b := range st.BlkioStats.IoServiceBytesRecursive {
		switch strings.ToLower(b.Op) {
		case "read":
			s.BlockRead += b.Value
		case "write":
			s.BlockWrite += b.Value
		}
	}
	return s
}
