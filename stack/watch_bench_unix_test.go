//go:build unix

package stack

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/moby/moby/client"
)

// The dev-loop benchmarks: save-to-visible latency and a 2,000-file burst,
// devstack's watch next to `docker compose watch` (Compose v5.6.0) on the
// same stack in the same run, and the CPU an idle watch of 20,000 files
// costs. Run with -benchtime 1x: each does a fixed amount of work.

const benchWatchCompose = `services:
  web:
    image: local/busybox
    command: sh -c 'mkdir -p /www && exec httpd -f -p 8080 -h /www'
    develop:
      watch:
        - path: ./www
          target: /www
          action: sync
`

// benchStack is the served stack both tools watch.
type benchStack struct {
	*testStack
	p   *Project
	url string
}

func newBenchStack(b *testing.B) *benchStack {
	s := newTestStack(b, "wbench")
	requireFixture(b, s.e, "local/busybox")
	s.write("www/index.html", "start")
	p := s.load(benchWatchCompose)
	if err := s.e.Up(context.Background(), p, UpOptions{}); err != nil {
		b.Fatalf("up: %v", err)
	}
	// The container's own address: no port proxy in the way of either tool.
	var ip string
	for _, c := range s.ps() {
		res, err := s.e.api.ContainerInspect(context.Background(), c.ID, client.ContainerInspectOptions{})
		if err != nil {
			b.Fatal(err)
		}
		for _, n := range res.Container.NetworkSettings.Networks {
			ip = n.IPAddress.String()
		}
	}
	if ip == "" {
		b.Fatal("web has no address")
	}
	return &benchStack{testStack: s, p: p, url: "http://" + ip + ":8080/"}
}

// seen polls the file over HTTP until it serves want.
func (s *benchStack) seen(b *testing.B, name, want string, limit time.Duration) time.Duration {
	start := time.Now()
	for {
		res, err := http.Get(s.url + name)
		if err == nil {
			body, _ := io.ReadAll(res.Body)
			res.Body.Close()
			if string(body) == want {
				return time.Since(start)
			}
		}
		if time.Since(start) > limit {
			b.Fatalf("%s never served %q within %v", name, want, limit)
		}
		time.Sleep(2 * time.Millisecond)
	}
}

// edits saves a file n times and measures each save until it is served.
func (s *benchStack) edits(b *testing.B, tool string, n int) []time.Duration {
	var out []time.Duration
	for i := range n {
		token := fmt.Sprintf("%s-%d-%d", tool, i, time.Now().UnixNano())
		if err := os.WriteFile(filepath.Join(s.Dir, "www/edit.txt"), []byte(token), 0o644); err != nil {
			b.Fatal(err)
		}
		out = append(out, s.seen(b, "edit.txt", token, 20*time.Second))
		time.Sleep(150 * time.Millisecond) // separate edits, as a person saves
	}
	return out
}

// burst writes 2,000 files into a new folder and measures until the last
// one is served.
func (s *benchStack) burst(b *testing.B, dir string) time.Duration {
	start := time.Now()
	for d := range 20 {
		for f := range 100 {
			p := filepath.Join(s.Dir, "www", dir, fmt.Sprintf("d%02d/f%03d.txt", d, f))
			_ = os.MkdirAll(filepath.Dir(p), 0o755)
			if err := os.WriteFile(p, []byte(p), 0o644); err != nil {
				b.Fatal(err)
			}
		}
	}
	last := filepath.Join(s.Dir, "www", dir, "d19/f099.txt")
	s.seen(b, dir+"/d19/f099.txt", last, 2*time.Minute)
	// The last file written may be served before others of the burst.
	for d := range 20 {
		p := filepath.Join(s.Dir, "www", dir, fmt.Sprintf("d%02d/f000.txt", d))
		s.seen(b, fmt.Sprintf("%s/d%02d/f000.txt", dir, d), p, 2*time.Minute)
	}
	return time.Since(start)
}

// devstackWatch runs devstack's watch on the stack until stop is called.
func (s *benchStack) devstackWatch(b *testing.B) (stop func()) {
	ctx, cancel := context.WithCancel(context.Background())
	ready := make(chan struct{})
	done := make(chan error, 1)
	go func() {
		done <- s.e.Watch(ctx, s.p, WatchOptions{OnEvent: func(ev WatchEvent) {
			if ev.Action == WatchStarted {
				close(ready)
			}
		}})
	}()
	select {
	case <-ready:
	case err := <-done:
		b.Fatalf("watch: %v", err)
	}
	return func() { cancel(); <-done }
}

// composeWatch runs `docker compose watch --no-up` until stop is called.
func (s *benchStack) composeWatch(b *testing.B, bin string) (stop func()) {
	cmd := exec.Command(bin, "-p", s.Name, "-f", "compose.yaml", "watch", "--no-up")
	cmd.Dir = s.Dir
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	out, err := cmd.StdoutPipe()
	if err != nil {
		b.Fatal(err)
	}
	cmd.Stderr = cmd.Stdout
	if err := cmd.Start(); err != nil {
		b.Fatal(err)
	}
	ready := make(chan struct{})
	go func() {
		sc := bufio.NewScanner(out)
		once := false
		for sc.Scan() {
			if !once && strings.Contains(sc.Text(), "Watch enabled") {
				once = true
				close(ready)
			}
		}
	}()
	select {
	case <-ready:
	case <-time.After(time.Minute):
		_ = syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
		b.Fatal("docker compose watch did not say \"Watch enabled\" within a minute")
	}
	return func() {
		_ = syscall.Kill(-cmd.Process.Pid, syscall.SIGINT)
		_ = cmd.Wait()
	}
}

func quantile(ds []time.Duration, q float64) time.Duration {
	s := slices.Clone(ds)
	slices.Sort(s)
	return s[min(len(s)-1, int(q*float64(len(s))))]
}

// BenchmarkWatchSaveToVisible: 50 edits, each timed from the save until the
// container's HTTP server serves the new content; then a 2,000-file burst.
// devstack first, then Compose on the same stack.
func BenchmarkWatchSaveToVisible(b *testing.B) {
	bin := composeBinary(b)
	s := newBenchStack(b)
	stop := s.devstackWatch(b)
	ds := s.edits(b, "devstack", 50)
	dsBurst := s.burst(b, "burst-devstack")
	stop()
	stop = s.composeWatch(b, bin)
	cs := s.edits(b, "compose", 50)
	csBurst := s.burst(b, "burst-compose")
	stop()
	p50, p95 := quantile(ds, 0.5), quantile(ds, 0.95)
	cp50, cp95 := quantile(cs, 0.5), quantile(cs, 0.95)
	b.ReportMetric(float64(p50.Milliseconds()), "p50-ms")
	b.ReportMetric(float64(p95.Milliseconds()), "p95-ms")
	b.ReportMetric(float64(cp95.Milliseconds()), "compose-p95-ms")
	b.Logf("save-to-visible over 50 edits: devstack p50 %v p95 %v | compose watch p50 %v p95 %v (budget: p95 ≤ 250 ms and ≤ a third of compose's: %v)",
		p50.Round(time.Millisecond), p95.Round(time.Millisecond), cp50.Round(time.Millisecond), cp95.Round(time.Millisecond), (cp95 / 3).Round(time.Millisecond))
	b.Logf("2,000-file burst until all served: devstack %v | compose watch %v",
		dsBurst.Round(time.Millisecond), csBurst.Round(time.Millisecond))
}

// BenchmarkWatchIdle20k: the CPU devstack's watch spends on an idle tree of
// 20,000 files (200 folders), over 10 s after setup.
func BenchmarkWatchIdle20k(b *testing.B) {
	s := newBenchStack(b)
	for d := range 200 {
		for f := range 100 {
			p := filepath.Join(s.Dir, "www", fmt.Sprintf("tree/d%03d/f%03d", d, f))
			_ = os.MkdirAll(filepath.Dir(p), 0o755)
			if err := os.WriteFile(p, nil, 0o644); err != nil {
				b.Fatal(err)
			}
		}
	}
	setup := selfCPU()
	start := time.Now()
	stop := s.devstackWatch(b)
	setupCPU, setupWall := selfCPU()-setup, time.Since(start)
	before, t0 := selfCPU(), time.Now()
	time.Sleep(10 * time.Second)
	idle := float64(selfCPU()-before) / float64(time.Since(t0)) * 100
	stop()
	b.ReportMetric(idle, "idle-%core")
	b.Logf("watch of 20,000 files: setup %v (CPU %v); idle %.3f%% of a core (budget: well under 1%%)",
		setupWall.Round(time.Millisecond), setupCPU.Round(time.Millisecond), idle)
}
