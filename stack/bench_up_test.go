package stack

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/moby/moby/client"

	"github.com/devstack/devstack/stack/internal/confighash"
)

// tenServices is a 10-service stack with what a dev stack has: named
// volumes, tmpfs, bind mounts and memory limits.
func tenServices() string {
	var b strings.Builder
	b.WriteString("services:\n")
	for i := range 10 {
		fmt.Fprintf(&b, `  svc%d:
    image: local/busybox
    init: true
    command: ["sleep", "1d"]
    mem_limit: 32m
    tmpfs:
      - /tmp:size=8m
    volumes:
      - vol%d:/data
      - ./src/svc%d:/src
`, i, i%3, i)
	}
	b.WriteString("volumes:\n  vol0: {}\n  vol1: {}\n  vol2: {}\n")
	return b.String()
}

// BenchmarkUpCold10 times a cold up of tenServices (ns/op) and, in the same
// iterations, the floor: the engine creating the same network, volumes and
// containers and starting them, all requests in parallel, with nothing
// else around them — once with each container's create and start chained,
// once with all creates before all starts (what up does). up/floor compares
// up with the faster of the two.
func BenchmarkUpCold10(b *testing.B) {
	s := newTestStack(b, "bench")
	requireFixture(b, s.e, "local/busybox")
	ctx := context.Background()
	p := s.load(tenServices())
	floor := floorRequests(b, s, p)
	var up, raw, phased time.Duration
	b.ResetTimer()
	for range b.N {
		b.StopTimer()
		removeProject(b, s.e, s.Name)
		b.StartTimer()
		start := time.Now()
		if err := s.e.Up(ctx, p, UpOptions{}); err != nil {
			b.Fatalf("up: %v", err)
		}
		up += time.Since(start)
		b.StopTimer()
		removeProject(b, s.e, s.Name)
		start = time.Now()
		floor.run(b, s.e, false)
		raw += time.Since(start)
		removeProject(b, s.e, s.Name)
		start = time.Now()
		floor.run(b, s.e, true)
		phased += time.Since(start)
		b.StartTimer()
	}
	b.StopTimer()
	n := float64(b.N)
	b.ReportMetric(float64(up.Milliseconds())/n, "ms/up-cold")
	b.ReportMetric(float64(raw.Milliseconds())/n, "ms/floor-create+start")
	b.ReportMetric(float64(phased.Milliseconds())/n, "ms/floor-creates-then-starts")
	b.ReportMetric(float64(up)/float64(min(raw, phased)), "up/floor")
}

// floorWork is the raw engine requests an up of the stack amounts to.
type floorWork struct {
	network    string
	netOpts    client.NetworkCreateOptions
	volumes    []client.VolumeCreateOptions
	containers []client.ContainerCreateOptions
}

func floorRequests(b *testing.B, s *testStack, p *Project) floorWork {
	model := p.model.project
	netLabels, _ := networkLabels(model.Name, "default", model.Networks["default"])
	w := floorWork{network: model.Networks["default"].Name, netOpts: client.NetworkCreateOptions{Labels: netLabels}}
	for _, key := range sortedKeys(model.Volumes) {
		labels, _ := volumeLabels(model.Name, key, model.Volumes[key])
		w.volumes = append(w.volumes, client.VolumeCreateOptions{Name: model.Volumes[key].Name, Labels: labels})
	}
	for _, name := range sortedKeys(model.Services) {
		sc := model.Services[name]
		hash, _ := confighash.Service(sc)
		cname := containerNameFor(model.Name, sc, 1)
		spec, err := buildCreateSpec(model, sc, createTarget{number: 1, name: cname,
			labels: containerLabels(model, sc, 1, hash, ""), apiVersion: s.e.api.ClientVersion()})
		if err != nil {
			b.Fatal(err)
		}
		w.containers = append(w.containers, spec.opts)
	}
	return w
}

// run sends the requests: network and volumes in parallel, then every
// container's create and start in parallel — or, phased, all creates in
// parallel and then all starts in parallel.
func (w floorWork) run(b *testing.B, e *Engine, phased bool) {
	ctx := context.Background()
	var wg sync.WaitGroup
	wg.Go(func() {
		if _, err := e.api.NetworkCreate(ctx, w.network, w.netOpts); err != nil {
			b.Error(err)
		}
	})
	for _, v := range w.volumes {
		wg.Go(func() {
			if _, err := e.api.VolumeCreate(ctx, v); err != nil {
				b.Error(err)
			}
		})
	}
	wg.Wait()
	ids := make([]string, len(w.containers))
	for i, c := range w.containers {
		wg.Go(func() {
			res, err := e.api.ContainerCreate(ctx, c)
			ids[i] = res.ID
			if err == nil && !phased {
				_, err = e.api.ContainerStart(ctx, res.ID, client.ContainerStartOptions{})
			}
			if err != nil {
				b.Error(err)
			}
		})
	}
	wg.Wait()
	if !phased {
		return
	}
	for _, id := range ids {
		wg.Go(func() {
			if _, err := e.api.ContainerStart(ctx, id, client.ContainerStartOptions{}); err != nil {
				b.Error(err)
			}
		})
	}
	wg.Wait()
}

// BenchmarkUpNoop times an up of the converged tenServices stack (ns/op),
// and loading the project, which the budget leaves out, next to it.
func BenchmarkUpNoop(b *testing.B) {
	s := newTestStack(b, "benchnoop")
	requireFixture(b, s.e, "local/busybox")
	ctx := context.Background()
	p := s.load(tenServices())
	if err := s.e.Up(ctx, p, UpOptions{}); err != nil {
		b.Fatalf("up: %v", err)
	}
	var load, up time.Duration
	b.ResetTimer()
	for range b.N {
		b.StopTimer()
		start := time.Now()
		p = s.load(tenServices())
		load += time.Since(start)
		b.StartTimer()
		start = time.Now()
		var changed stepLog
		if err := s.e.Up(ctx, p, UpOptions{Progress: changed.fn()}); err != nil {
			b.Fatalf("up: %v", err)
		}
		up += time.Since(start)
		if n := changed.count(ProgressCreating, "") + changed.count(ProgressRecreating, "") + changed.count(ProgressStarting, ""); n != 0 {
			b.Fatalf("no-op up changed %d containers", n)
		}
	}
	b.StopTimer()
	n := float64(b.N)
	b.ReportMetric(float64(up.Microseconds())/1000/n, "ms/up-noop")
	b.ReportMetric(float64(load.Microseconds())/1000/n, "ms/load")
}
