package e2e

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"
)

// BenchmarkUpNoopProcess measures the budget's "no-op up -d ≤ 100 ms as a
// whole process": the real binary run on a converged 10-service stack,
// from exec to exit. It prints the median wall time and CPU time of the
// runs, and the package initialisation the process spends before main
// (GODEBUG=inittrace=1), for comparison.
//
//	go test ./e2e -run XXX -bench UpNoopProcess -benchtime 20x
func BenchmarkUpNoopProcess(b *testing.B) {
	requireImagesB(b, "local/busybox")
	dir := b.TempDir()
	var compose strings.Builder
	compose.WriteString("services:\n")
	for i := 0; i < 10; i++ {
		fmt.Fprintf(&compose, "  svc%02d:\n    image: local/busybox\n    init: true\n    command: [\"sleep\", \"1d\"]\n"+
			"    mem_limit: 32m\n    tmpfs: [\"/run:size=1m\"]\n    volumes: [\"data%02d:/data\"]\n    environment: [\"N=%d\"]\n", i, i, i)
	}
	compose.WriteString("volumes:\n")
	for i := 0; i < 10; i++ {
		fmt.Fprintf(&compose, "  data%02d:\n", i)
	}
	if err := os.WriteFile(filepath.Join(dir, "compose.yaml"), []byte(compose.String()), 0o644); err != nil {
		b.Fatal(err)
	}
	name := fmt.Sprintf("dstest-e2e-noop-%d", time.Now().UnixNano()%1e6)
	b.Cleanup(func() { removeProjectB(b, name) })
	run := func(env ...string) (time.Duration, time.Duration, string) {
		cmd := exec.Command(binary, "-p", name, "up", "-d")
		cmd.Dir, cmd.Env = dir, append(os.Environ(), env...)
		start := time.Now()
		out, err := cmd.CombinedOutput()
		wall := time.Since(start)
		if err != nil {
			b.Fatalf("up -d: %v\n%s", err, out)
		}
		return wall, cmd.ProcessState.UserTime() + cmd.ProcessState.SystemTime(), string(out)
	}
	run()
	var walls, cpus []time.Duration
	b.ResetTimer()
	for range b.N {
		w, c, _ := run()
		walls, cpus = append(walls, w), append(cpus, c)
	}
	b.StopTimer()
	_, _, trace := run("GODEBUG=inittrace=1")
	wall, cpu := median(walls), median(cpus)
	b.ReportMetric(float64(wall.Microseconds())/1000, "ms-wall")
	b.ReportMetric(float64(cpu.Microseconds())/1000, "ms-cpu")
	b.Logf("no-op up -d of 10 services, whole process: median %v wall, %v CPU (budget 100 ms wall); package init %.1f ms of it",
		wall.Round(100*time.Microsecond), cpu.Round(100*time.Microsecond), initMillis(trace))
}

func median(ds []time.Duration) time.Duration {
	s := append([]time.Duration(nil), ds...)
	sort.Slice(s, func(i, j int) bool { return s[i] < s[j] })
	return s[len(s)/2]
}

// initMillis sums the clock time of every package's init in an inittrace.
func initMillis(trace string) float64 {
	total := 0.0
	for _, l := range strings.Split(trace, "\n") {
		f := strings.Fields(l)
		if len(f) > 6 && f[0] == "init" && f[6] == "clock," {
			ms, _ := strconv.ParseFloat(f[4], 64)
			total += ms
		}
	}
	return total
}
