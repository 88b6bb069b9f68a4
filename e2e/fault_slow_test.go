package e2e

import (
	"bytes"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// slowProxy relays a unix socket to the engine's, adding delay to every
// request written to the engine and refusing a share of new connections:
// an engine that is slow and flaky (a remote host, a loaded laptop).
type slowProxy struct {
	path   string
	delay  time.Duration
	refuse float64 // 0..1, the share of connections closed at once
	ln     net.Listener
	wg     sync.WaitGroup
	mu     sync.Mutex
	rng    *rand.Rand
	conns  []net.Conn
}

func startSlowProxy(t *testing.T, delay time.Duration, refuse float64) *slowProxy {
	t.Helper()
	p := &slowProxy{path: filepath.Join(t.TempDir(), "slow.sock"), delay: delay, refuse: refuse, rng: rand.New(rand.NewPCG(7, 11))}
	ln, err := net.Listen("unix", p.path)
	if err != nil {
		t.Fatalf("proxy listen: %v", err)
	}
	p.ln = ln
	p.wg.Go(func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			p.mu.Lock()
			drop := p.rng.Float64() < p.refuse
			p.conns = append(p.conns, c)
			p.mu.Unlock()
			if drop {
				c.Close()
				continue
			}
			go p.relay(c)
		}
	})
	t.Cleanup(p.stop)
	return p
}

func (p *slowProxy) relay(c net.Conn) {
	up, err := net.Dial("unix", "/var/run/docker.sock")
	if err != nil {
		c.Close()
		return
	}
	p.mu.Lock()
	p.conns = append(p.conns, up)
	p.mu.Unlock()
	go func() {
		buf := make([]byte, 32<<10)
		for {
			n, err := c.Read(buf)
			if n > 0 {
				time.Sleep(p.delay) // each request waits, as over a slow link
				if _, werr := up.Write(buf[:n]); werr != nil {
					break
				}
			}
			if err != nil {
				break
			}
		}
		up.Close()
	}()
	_, _ = io.Copy(c, up)
	c.Close()
}

func (p *slowProxy) stop() {
	p.ln.Close()
	p.mu.Lock()
	for _, c := range p.conns {
		c.Close()
	}
	p.mu.Unlock()
	p.wg.Wait()
	os.Remove(p.path)
}

// TestFaultSlowFlakyEngine runs the dashboard against an engine that
// answers every request 200 ms late and refuses 5 % of connections: the
// first screen comes, a key is answered at once (the screen never waits on
// the engine), and devstack does not spin while the engine is slow.
func TestFaultSlowFlakyEngine(t *testing.T) {
	requireImages(t, "local/busybox")
	dir := t.TempDir()
	project := projectName(t, "slow")
	putFile(t, filepath.Join(dir, "compose.yaml"), killStack(3))
	mustRun(t, dir, "-p", project, "up", "-d")
	proxy := startSlowProxy(t, 200*time.Millisecond, 0.05)

	start := time.Now()
	s := startScreenEnv(t, dir, 140, 40, []string{"DOCKER_HOST=unix://" + proxy.path}, "-p", project)
	s.waitFor(time.Minute, "3/3 running")
	first := time.Since(start)

	var worst time.Duration
	for i := range 6 {
		want := fmt.Sprintf("s%02d", (i+1)%3)
		pressed := time.Now()
		if i%3 == 2 {
			s.keys("g")
		} else {
			s.keys("j")
		}
		s.waitUntil(5*time.Second, "the selection to move to "+want, func(scr string) bool {
			return strings.Contains(selectedRow(scr), want)
		})
		worst = max(worst, time.Since(pressed))
	}
	cpu := processCPU(t, project, 10*time.Second)
	t.Logf("slow (200 ms a request) and flaky (5 %% refused) engine: first screen %v, worst key answer %v (including the harness's 80 ms typing pause and tmux polling), devstack CPU %.1f%% of a core over 10 s",
		first.Round(time.Millisecond), worst.Round(time.Millisecond), cpu)
	if worst > 1500*time.Millisecond { // a loaded CI machine shares its 2 cores with other packages' tests
		t.Errorf("a key took %v to be answered with a slow engine, want well under 1.5 s", worst)
	}
	if cpu > 25 {
		t.Errorf("devstack used %.1f%% of a core while the engine was slow: it spins", cpu)
	}
	s.keys("q")
	s.waitFor(10*time.Second, "DEVSTACK EXITED 0")
}

// processCPU measures the CPU the dashboard of that project uses over d, in
// percent of one core, from /proc.
func processCPU(t *testing.T, project string, d time.Duration) float64 {
	t.Helper()
	out, err := exec.Command("pgrep", "-f", binary+" -p "+project).Output()
	pids := strings.Fields(string(out))
	if err != nil || len(pids) == 0 {
		t.Fatalf("no devstack process for %s: %v", project, err)
	}
	ticks := func() float64 {
		b, err := os.ReadFile("/proc/" + pids[0] + "/stat")
		if err != nil {
			t.Fatal(err)
		}
		f := strings.Fields(string(b[bytes.LastIndexByte(b, ')')+2:]))
		u, _ := strconv.ParseFloat(f[11], 64) // utime, field 14
		s, _ := strconv.ParseFloat(f[12], 64) // stime, field 15
		return u + s
	}
	before := ticks()
	time.Sleep(d)
	return (ticks() - before) / 100 / d.Seconds() * 100 // 100 ticks a second
}
