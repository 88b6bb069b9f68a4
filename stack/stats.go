package stack

import (
	"cmp"
	"context"
	"slices"
	"sync"
	"time"

	"github.com/moby/moby/api/types/container"
	"github.com/moby/moby/client"

	"github.com/devstack/devstack/stack/internal/cgroups"
)

// statsAPIConcurrency bounds the one-shot stats requests in flight, so a
// round over many containers neither queues behind one slow answer nor
// floods the engine.
const statsAPIConcurrency = 4

// StatsOptions choose what a stats stream samples and how often.
type StatsOptions struct {
	// Interval between samples; 1s when zero.
	Interval time.Duration
	// Services limits sampling to these services; empty means all.
	Services []string
	// UseAPI reads every sample through the engine's stats API even when
	// the cgroup files could be read; for comparison and diagnosis.
	UseAPI bool
}

// Stats samples the project's running containers every interval and
// delivers one batch per round, a Stats per container; rates and CPU% are
// over the time since that container's previous sample, so a container's
// first values arrive one interval after it is found (two on the API path,
// whose first request is made in a round).
//
// One scheduler serves the whole project: it lists the running containers
// and follows the project's events to add and drop them (nothing is
// sampled for stopped or paused containers). When the engine runs on this
// machine the counters come straight from each container's cgroup files
// (cgroup v1 or v2) at almost no cost; otherwise, or when those files cannot
// be read, from one one-shot stats API request per container per round.
// The channel closes when ctx ends.
func (e *Engine) Stats(ctx context.Context, project string, opts StatsOptions) <-chan []Stats {
	if opts.Interval <= 0 {
		opts.Interval = time.Second
	}
	s := &statsScheduler{e: e, project: project, opts: opts, tracked: map[string]*tracked{}}
	evs := e.Events(ctx, project)
	s.relist(ctx)
	out := make(chan []Stats)
	go s.run(ctx, evs, out)
	return out
}

type statsScheduler struct {
	e       *Engine
	project string
	opts    StatsOptions
	tracked map[string]*tracked
}

// tracked is one running container being sampled.
type tracked struct {
	id, service string
	name        string
	cg          *cgroups.Reader // nil: through the stats API
	prev        cgroups.Sample
	primed      bool
	failed      bool
}

func (s *statsScheduler) run(ctx context.Context, evs <-chan []Event, out chan<- []Stats) {
	defer close(out)
	tick := time.NewTicker(s.opts.Interval)
	defer tick.Stop()
	catchUp := time.NewTicker(statsCatchUpEvery)
	defer catchUp.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case batch, ok := <-evs:
			if !ok {
				return
			}
			s.apply(ctx, batch)
		case <-catchUp.C:
			s.catchUp(ctx)
		case <-tick.C:
			round := s.round(ctx)
			if len(round) == 0 {
				continue
			}
			select {
			case out <- round:
			case <-ctx.Done():
				return
			}
		}
	}
}

// apply keeps the set of sampled containers in step with the events.
func (s *statsScheduler) apply(ctx context.Context, batch []Event) {
	for _, ev := range batch {
		switch ev.Action {
		case "start", "unpause", "restart":
			s.add(ctx, ev.ContainerID)
		case "die", "pause", "destroy":
			delete(s.tracked, ev.ContainerID)
		case EventEngineUp:
			s.relist(ctx)
		}
	}
}

// relist starts over from the running containers the engine lists.
func (s *statsScheduler) relist(ctx context.Context) {
	s.tracked = map[string]*tracked{}
	s.catchUp(ctx)
}

// statsCatchUpEvery is how often the scheduler lists the project's running
// containers to pick up any whose start event never came.
const statsCatchUpEvery = 3 * time.Second

// catchUp starts sampling the running, selected containers the engine
// lists and the scheduler does not sample yet (relist uses it too).
// The events request is sent from the client's own goroutine, and a busy
// engine can register it after a container has started: that start is
// then never delivered. One list every few seconds is cheap next to the
// samples themselves.
func (s *statsScheduler) catchUp(ctx context.Context) {
	list, err := s.e.api.ContainerList(ctx, client.ContainerListOptions{Filters: projectFilter(s.project)})
	if err != nil {
		return // the events stream reports the engine down and up again
	}
	for _, c := range list.Items {
		if _, ok := s.tracked[c.ID]; ok || c.State != container.StateRunning {
			continue
		}
		if len(s.opts.Services) > 0 && !slices.Contains(s.opts.Services, c.Labels[labelService]) {
			continue
		}
		s.add(ctx, c.ID)
	}
}

// add starts sampling a container if it runs and is selected.
func (s *statsScheduler) add(ctx context.Context, id string) {
	if _, ok := s.tracked[id]; ok {
		return
	}
	res, err := s.e.api.ContainerInspect(ctx, id, client.ContainerInspectOptions{})
	if err != nil || res.Container.State == nil || !res.Container.State.Running || res.Container.State.Paused {
		return
	}
	t := &tracked{id: res.Container.ID, name: engineName(res.Container.Name)}
	if res.Container.Config != nil {
		t.service = res.Container.Config.Labels[labelService]
	}
	if len(s.opts.Services) > 0 && !slices.Contains(s.opts.Services, t.service) {
		return
	}
	if s.e.Local && !s.opts.UseAPI {
		// Any failure (another machine's pid, private files) leaves the
		// container on the API path.
		t.cg, _ = cgroups.Open(res.Container.State.Pid, t.id)
	}
	s.tracked[t.id] = t
	if t.cg != nil {
		system, online, _ := cgroups.HostCPU()
		s.sample(ctx, t, system, online)
	}
	// API containers are primed by the next round, whose requests run in
	// parallel, rather than one slow request after another here.
}

// round samples every tracked container once and returns the Stats of
// those that have a previous sample. Cgroup reads are quick and done in
// turn; API requests run a few at a time.
func (s *statsScheduler) round(ctx context.Context) []Stats {
	// Without /proc/stat the CPU% reads 0; everything else still counts.
	system, online, _ := cgroups.HostCPU()
	var mu sync.Mutex
	var wg sync.WaitGroup
	sem := make(chan struct{}, statsAPIConcurrency)
	out := make([]Stats, 0, len(s.tracked))
	keep := func(st Stats, ok bool) {
		if ok {
			mu.Lock()
			out = append(out, st)
			mu.Unlock()
		}
	}
	for _, t := range s.tracked {
		if t.cg != nil {
			keep(s.sample(ctx, t, system, online))
			continue
		}
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer wg.Done()
			defer func() { <-sem }()
			keep(s.sample(ctx, t, 0, 0))
		}()
	}
	wg.Wait()
	for id, t := range s.tracked {
		if t.failed {
			// Gone since (its die event is on the way), or a read that
			// failed once, as the stats endpoint of a container that has
			// just started can: look again rather than lose it until its
			// next start.
			delete(s.tracked, id)
			s.add(ctx, id)
		}
	}
	slices.SortFunc(out, func(a, b Stats) int {
		return cmp.Or(cmp.Compare(a.Service, b.Service), cmp.Compare(a.ContainerID, b.ContainerID))
	})
	return out
}

// sample reads one container and, when it has a previous sample, returns
// the Stats between the two. A failed read marks it for removal.
func (s *statsScheduler) sample(ctx context.Context, t *tracked, system uint64, online int) (Stats, bool) {
	var cur cgroups.Sample
	var err error
	if t.cg != nil {
		cur, err = t.cg.Sample(system)
		cur.OnlineCPUs = online
	} else {
		cur, err = s.e.apiSample(ctx, t.id)
	}
	if err != nil {
		t.failed = true
		return Stats{}, false
	}
	prev, primed := t.prev, t.primed
	t.prev, t.primed = cur, true
	if !primed {
		return Stats{}, false
	}
	return statsBetween(t, prev, cur), true
}

// statsBetween computes the CPU% the docker CLI shows (container CPU time
// over host CPU time, times online CPUs) and per-second rates.
func statsBetween(t *tracked, prev, cur cgroups.Sample) Stats {
	st := Stats{
		ContainerID: t.id,
		Service:     t.service,
		Time:        cur.Time,
		MemoryUsage: cur.MemUsage,
		MemoryLimit: cur.MemLimit,
		Pids:        cur.Pids,
		Name:        t.name,
		NetRx:       cur.NetRx,
		NetTx:       cur.NetTx,
		BlockRead:   cur.BlockRead,
		BlockWrite:  cur.BlockWrite,
	}
	if cur.System > prev.System && cur.CPU >= prev.CPU {
		st.CPUPercent = float64(cur.CPU-prev.CPU) / float64(cur.System-prev.System) * float64(cur.OnlineCPUs) * 100
	}
	dt := cur.Time.Sub(prev.Time).Seconds()
	rate := func(a, b uint64) float64 {
		if dt <= 0 || b < a {
			return 0 // a counter reset (restart) has no meaningful rate
		}
		return float64(b-a) / dt
	}
	st.NetRxPerSec = rate(prev.NetRx, cur.NetRx)
	st.NetTxPerSec = rate(prev.NetTx, cur.NetTx)
	st.BlockReadPerSec = rate(prev.BlockRead, cur.BlockRead)
	st.BlockWritePerSec = rate(prev.BlockWrite, cur.BlockWrite)
	return st
}
