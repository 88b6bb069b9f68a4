package stack

import (
	"context"
	"fmt"
	"math"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/moby/moby/client"

	"github.com/devstack/devstack/stack/internal/cgroups"
)

const mib = 1 << 20

// statsFixture runs a CPU burner, an idle sleeper, a container holding
// 50 MiB (in /dev/shm, which the memory cgroup counts and does not treat as
// reclaimable cache) under a 256 MiB limit, and one that pings its gateway
// with 1000-byte packets 20 times a second (about 20 kB/s each way).
type statsFixture struct {
	p                      *streamProject
	burner, idle, mem, net string
}

func newStatsFixture(t *testing.T) statsFixture {
	p := newStreamProject(t)
	f := statsFixture{
		p:      p,
		burner: p.run(t, ctrSpec{Service: "burner", Cmd: []string{"sh", "-c", "while :; do :; done"}}),
		idle:   p.run(t, ctrSpec{Service: "idle", Cmd: []string{"sleep", "300"}}),
		mem: p.run(t, ctrSpec{Service: "mem", MemLimit: 256 * mib,
			Cmd: []string{"sh", "-c", "head -c 50m /dev/zero > /dev/shm/fill; sleep 300"}}),
		net: p.run(t, ctrSpec{Service: "net",
			Cmd: []string{"sh", "-c", `ping -q -i 0.05 -s 1000 $(ip route | awk '/default/ {print $3}')`}}),
	}
	f.waitFilled(t)
	return f
}

// waitFilled waits until the engine itself reports the memory container's
// 50 MiB: on a loaded machine writing it can take seconds, and a round
// sampled before then is right to show less.
func (f statsFixture) waitFilled(t *testing.T) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for {
		s, err := f.p.e.apiSample(context.Background(), f.mem)
		if err != nil {
			t.Fatal(err)
		}
		if s.MemUsage >= 45*mib {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("the memory container holds %.1f MiB after 30 s, want 50", float64(s.MemUsage)/mib)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// cpuTolerance is how far, in points, a path's CPU% of the burner may be
// from what its process accounted for over the same time. The API's
// samples are taken by the engine when it answers, which on a loaded
// machine can be hundreds of ms off the test's own clock over a 2 s window.
func cpuTolerance(path string) float64 {
	if path == "api" {
		return 30
	}
	return 15
}

// check holds a Stats to what the fixture's containers do. burnerCPU is
// what the burner's process accounted for itself over the same time (-1:
// unknown); on a loaded machine it gets less than a full core.
func (f statsFixture) check(t *testing.T, path string, st Stats, burnerCPU float64) {
	t.Helper()
	switch st.ContainerID {
	case f.burner:
		switch {
		case burnerCPU >= 0 && math.Abs(st.CPUPercent-burnerCPU) > cpuTolerance(path):
			t.Errorf("%s: burner CPU %.1f%%, its process used %.1f%%", path, st.CPUPercent, burnerCPU)
		case burnerCPU >= 60 && (st.CPUPercent < 50 || st.CPUPercent > 150):
			t.Errorf("%s: burner CPU %.1f%%, want about 100%%", path, st.CPUPercent)
		case st.CPUPercent < 10:
			t.Errorf("%s: burner CPU %.1f%%, want far above idle", path, st.CPUPercent)
		}
	case f.idle:
		if st.CPUPercent > 5 {
			t.Errorf("%s: idle CPU %.1f%%, want about 0", path, st.CPUPercent)
		}
		if host := cgroups.HostMemory(); st.MemoryLimit != host {
			t.Errorf("%s: idle container without a limit: limit %d, want the host's %d", path, st.MemoryLimit, host)
		}
	case f.mem:
		if st.MemoryUsage < 45*mib || st.MemoryUsage > 80*mib {
			t.Errorf("%s: memory %.1f MiB, want about 50", path, float64(st.MemoryUsage)/mib)
		}
		if st.MemoryLimit != 256*mib {
			t.Errorf("%s: limit %d, want mem_limit %d", path, st.MemoryLimit, 256*mib)
		}
	case f.net:
		if st.NetTxPerSec < 10e3 || st.NetTxPerSec > 40e3 || st.NetRxPerSec < 10e3 || st.NetRxPerSec > 40e3 {
			t.Errorf("%s: network rx %.0f tx %.0f B/s, want about 20 kB/s each", path, st.NetRxPerSec, st.NetTxPerSec)
		}
	default:
		t.Errorf("%s: stats of a container the test did not start: %+v", path, st)
	}
	if st.Pids < 1 {
		t.Errorf("%s: %s has %d pids", path, st.Service, st.Pids)
	}
}

// TestStatsCgroupAndAPIAgree samples the same containers through the cgroup
// files and through the engine's one-shot stats API, over the same second.
func TestStatsCgroupAndAPIAgree(t *testing.T) {
	f := newStatsFixture(t)
	e := f.p.e
	if !e.Local {
		t.Fatalf("this test reads cgroup files and needs the engine on this machine; it is at %s", e.Host)
	}
	ctx := context.Background()
	for _, id := range []string{f.burner, f.idle, f.mem, f.net} {
		ins, err := e.api.ContainerInspect(ctx, id, client.ContainerInspectOptions{})
		if err != nil {
			t.Fatal(err)
		}
		cg, err := cgroups.Open(ins.Container.State.Pid, id)
		if err != nil {
			t.Fatalf("cgroup of %.12s: %v", id, err)
		}
		tr := &tracked{id: id, service: ins.Container.Config.Labels[labelService]}
		proc0, cg0, api0 := processCPU(t, ins.Container.State.Pid), cgroupNow(t, cg), apiNow(t, e, id)
		time.Sleep(2 * time.Second)
		proc1, cg1, api1 := processCPU(t, ins.Container.State.Pid), cgroupNow(t, cg), apiNow(t, e, id)
		own := 100 * (proc1.cpu - proc0.cpu).Seconds() / proc1.at.Sub(proc0.at).Seconds()
		byCgroup, byAPI := statsBetween(tr, cg0, cg1), statsBetween(tr, api0, api1)
		t.Logf("%s: CPU %.1f%% by its process, %.1f%% from cgroup, %.1f%% from the API", tr.service, own, byCgroup.CPUPercent, byAPI.CPUPercent)
		f.check(t, "cgroup", byCgroup, own)
		f.check(t, "api", byAPI, own)
		if d := math.Abs(byCgroup.CPUPercent - byAPI.CPUPercent); d > 25 {
			t.Errorf("%s: CPU %.1f%% from cgroup, %.1f%% from the API", tr.service, byCgroup.CPUPercent, byAPI.CPUPercent)
		}
		if d := math.Abs(float64(byCgroup.MemoryUsage) - float64(byAPI.MemoryUsage)); d > 4*mib {
			t.Errorf("%s: memory %d from cgroup, %d from the API", tr.service, byCgroup.MemoryUsage, byAPI.MemoryUsage)
		}
		if d := math.Abs(byCgroup.NetTxPerSec - byAPI.NetTxPerSec); d > 0.3*byAPI.NetTxPerSec+100 {
			t.Errorf("%s: sent %.0f B/s from /proc, %.0f B/s from the API", tr.service, byCgroup.NetTxPerSec, byAPI.NetTxPerSec)
		}
		if byCgroup.MemoryLimit != byAPI.MemoryLimit || byCgroup.Pids != byAPI.Pids {
			t.Errorf("%s: limit/pids %d/%d from cgroup, %d/%d from the API", tr.service,
				byCgroup.MemoryLimit, byCgroup.Pids, byAPI.MemoryLimit, byAPI.Pids)
		}
	}
}

type procCPU struct {
	at  time.Time
	cpu time.Duration
}

// processCPU is a process's own CPU time (utime+stime of /proc/<pid>/stat):
// an account of the burner's CPU independent of its cgroup.
func processCPU(t *testing.T, pid int) procCPU {
	t.Helper()
	at := time.Now()
	ticks, err := procTicks(pid)
	if err != nil {
		t.Fatal(err)
	}
	return procCPU{at: at, cpu: time.Duration(ticks) * (time.Second / cgroups.ClockTicks)}
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

func cgroupNow(t *testing.T, cg *cgroups.Reader) cgroups.Sample {
	t.Helper()
	system, online, err := cgroups.HostCPU()
	if err != nil {
		t.Fatal(err)
	}
	s, err := cg.Sample(system)
	if err != nil {
		t.Fatal(err)
	}
	s.OnlineCPUs = online
	return s
}

func apiNow(t *testing.T, e *Engine, id string) cgroups.Sample {
	t.Helper()
	s, err := e.apiSample(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// TestStatsStream runs the scheduler both ways and follows containers as
// they stop and start.
func TestStatsStream(t *testing.T) {
	f := newStatsFixture(t)
	stopped := f.p.run(t, ctrSpec{Service: "stopped", Cmd: []string{"true"}})
	f.p.wait(t, stopped)
	for _, useAPI := range []bool{false, true} {
		path := map[bool]string{false: "cgroup", true: "api"}[useAPI]
		t.Run(path, func(t *testing.T) {
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			ch := f.p.e.Stats(ctx, f.p.name, StatsOptions{Interval: 500 * time.Millisecond, UseAPI: useAPI})
			round := nextRound(t, ch, func(r []Stats) bool { return len(r) == 4 })
			for _, st := range round {
				f.check(t, path, st, -1)
			}
			late := f.p.run(t, ctrSpec{Service: "late", Cmd: []string{"sleep", "300"}})
			nextRound(t, ch, func(r []Stats) bool { return has(r, late) })
			timeout := 0
			if _, err := f.p.e.api.ContainerStop(ctx, late, client.ContainerStopOptions{Timeout: &timeout}); err != nil {
				t.Fatal(err)
			}
			nextRound(t, ch, func(r []Stats) bool { return !has(r, late) && len(r) == 4 })
		})
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	ch := f.p.e.Stats(ctx, f.p.name, StatsOptions{Interval: 300 * time.Millisecond, Services: []string{"mem"}})
	round := nextRound(t, ch, func(r []Stats) bool { return len(r) > 0 })
	if len(round) != 1 || round[0].ContainerID != f.mem {
		t.Errorf("services [mem]: got %+v", round)
	}
}

func has(r []Stats, id string) bool {
	for _, st := range r {
		if st.ContainerID == id {
			return true
		}
	}
	return false
}

// nextRound waits for a round that satisfies ok, failing after 15 s.
func nextRound(t *testing.T, ch <-chan []Stats, ok func([]Stats) bool) []Stats {
	t.Helper()
	deadline := time.After(15 * time.Second)
	var last []Stats
	for {
		select {
		case r, open := <-ch:
			if !open {
				t.Fatal("stats stream closed")
			}
			if ok(r) {
				return r
			}
			last = r
		case <-deadline:
			t.Fatalf("no matching stats round in 15s; last: %+v", last)
		}
	}
}

func TestStatsBetweenLikeDockerCLI(t *testing.T) {
	t0 := time.Unix(1000, 0)
	prev := cgroups.Sample{Time: t0, CPU: 5e9, System: 100e9, NetRx: 1000, NetTx: 50}
	cur := cgroups.Sample{
		Time: t0.Add(2 * time.Second), CPU: 7e9, System: 104e9, OnlineCPUs: 2,
		NetRx: 5000, NetTx: 10, BlockWrite: 1 << 20, MemUsage: 42, MemLimit: 100, Pids: 3,
	}
	st := statsBetween(&tracked{id: "c", service: "app", name: "p-app-1"}, prev, cur)
	// 2 s of CPU over 4 s of host CPU time (2 CPUs for 2 s) is one full core.
	if st.CPUPercent != 100 {
		t.Errorf("CPU: got %v%%, want 100%%", st.CPUPercent)
	}
	if st.NetRxPerSec != 2000 || st.NetTxPerSec != 0 || st.BlockWritePerSec != 1<<19 {
		t.Errorf("rates: got rx %v tx %v write %v, want 2000, 0 (counter reset), %d",
			st.NetRxPerSec, st.NetTxPerSec, st.BlockWritePerSec, 1<<19)
	}
	if st.MemoryUsage != 42 || st.MemoryLimit != 100 || st.Pids != 3 || st.Service != "app" {
		t.Errorf("got %+v", st)
	}
	// `devstack stats` shows the totals since start, as docker stats does.
	if st.Name != "p-app-1" || st.NetRx != 5000 || st.NetTx != 10 || st.BlockWrite != 1<<20 || st.BlockRead != 0 {
		t.Errorf("name and totals: got %+v", st)
	}
}

// TestStatsCatchUpFindsUnannouncedContainers: a running container whose
// start event never reached the scheduler (a busy engine registered the
// events request late) is picked up by the periodic list, once.
func TestStatsCatchUpFindsUnannouncedContainers(t *testing.T) {
	p := newStreamProject(t)
	id := sleeper(t, p, "local/busybox")
	s := &statsScheduler{e: p.e, project: p.name, opts: StatsOptions{UseAPI: true}, tracked: map[string]*tracked{}}
	ctx := context.Background()
	s.catchUp(ctx)
	if len(s.tracked) != 1 || s.tracked[id] == nil {
		t.Fatalf("after catching up: tracking %d containers, want the one running (%.12s)", len(s.tracked), id)
	}
	first := s.tracked[id]
	s.catchUp(ctx)
	if s.tracked[id] != first {
		t.Error("catching up again replaced a container already tracked (its previous sample is lost)")
	}
	s = &statsScheduler{e: p.e, project: p.name, opts: StatsOptions{UseAPI: true, Services: []string{"other"}}, tracked: map[string]*tracked{}}
	s.catchUp(ctx)
	if len(s.tracked) != 0 {
		t.Errorf("catching up with services [other] tracks %d containers, want none", len(s.tracked))
	}
}
