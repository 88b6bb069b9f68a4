package stack

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-containerregistry/pkg/name"
	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/empty"
	"github.com/google/go-containerregistry/pkg/v1/mutate"
	"github.com/google/go-containerregistry/pkg/v1/random"
	"github.com/google/go-containerregistry/pkg/v1/remote"
	"github.com/google/go-containerregistry/pkg/v1/types"
	"github.com/moby/moby/client"

	"github.com/devstack/devstack/internal/testregistry"
)

// pushBenchImages writes 6 images of 3–4 random (incompressible) layers,
// about 45 MB compressed in all, and returns their references.
func pushBenchImages(b *testing.B, reg *testRegistry) []string {
	b.Helper()
	var refs []string
	for i := range 6 {
		img := empty.Image
		for j := range 3 + i%2 {
			l, err := random.Layer(int64(1_500_000+(i*7+j*3)%5*350_000), types.DockerLayer)
			if err != nil {
				b.Fatal(err)
			}
			if img, err = mutate.AppendLayers(img, l); err != nil {
				b.Fatal(err)
			}
		}
		cf, err := img.ConfigFile()
		if err != nil {
			b.Fatal(err)
		}
		cf = cf.DeepCopy()
		cf.OS, cf.Architecture, cf.Created = "linux", "amd64", v1.Time{Time: time.Now()}
		if img, err = mutate.ConfigFile(img, cf); err != nil {
			b.Fatal(err)
		}
		ref := fmt.Sprintf("%s/bench/img%d:v1", reg.Host, i)
		tag, _ := name.NewTag(ref, name.Insecure)
		if err := remote.Write(tag, img, remote.WithTransport(testregistry.AdminTransport{})); err != nil {
			b.Fatal(err)
		}
		refs = append(refs, ref)
	}
	return refs
}

// buildDevstack builds the CLI once for the benchmark.
func buildDevstack(b *testing.B) string {
	b.Helper()
	bin := filepath.Join(b.TempDir(), "devstack")
	out, err := exec.Command("go", "build", "-o", bin, "../cmd/devstack").CombinedOutput()
	if err != nil {
		b.Fatalf("build devstack: %v\n%s", err, out)
	}
	return bin
}

// BenchmarkPull6 pulls a 6-image stack from the loopback registry, the
// images removed before every round, three ways in each iteration:
// `devstack pull` (the real binary), `docker compose pull` (Compose v5.6.0)
// and the floor — the same pulls issued straight through the engine API in
// parallel. It reports each in ms, the ratios to the floor, and the CPU the
// two programs spent (user+system ms).
func BenchmarkPull6(b *testing.B) {
	e := testEngine(b)
	reg := startRegistry(b)
	removeImagesAtCleanup(b, e, reg.Host)
	refs := pushBenchImages(b, reg)
	s := newTestStack(b, "benchpull")
	var compose strings.Builder
	compose.WriteString("services:\n")
	for i, ref := range refs {
		fmt.Fprintf(&compose, "  s%d:\n    image: %s\n", i, ref)
	}
	s.load(compose.String())
	devstack, composeBin := buildDevstack(b), composeBinary(b)
	removeAll := func() {
		for _, ref := range refs {
			removeImage(b, e, ref)
		}
	}
	run := func(bin string, args ...string) (time.Duration, time.Duration) {
		cmd := exec.Command(bin, args...)
		cmd.Dir = s.Dir
		cmd.Env = append(os.Environ(), "NO_COLOR=1")
		var out strings.Builder
		cmd.Stdout, cmd.Stderr = io.Discard, &out
		start := time.Now()
		if err := cmd.Run(); err != nil {
			b.Fatalf("%s %v: %v\n%s", bin, args, err, out.String())
		}
		wall := time.Since(start)
		return wall, cmd.ProcessState.UserTime() + cmd.ProcessState.SystemTime()
	}
	var floor, ds, dc, dsCPU, dcCPU time.Duration
	b.ResetTimer()
	for range b.N {
		removeAll()
		floor += floorPull(b, e, refs)
		removeAll()
		w, c := run(devstack, "-p", s.Name, "pull")
		ds, dsCPU = ds+w, dsCPU+c
		removeAll()
		w, c = run(composeBin, "-p", s.Name, "pull")
		dc, dcCPU = dc+w, dcCPU+c
	}
	b.StopTimer()
	n := float64(b.N)
	ms := func(d time.Duration) float64 { return float64(d.Milliseconds()) / n }
	b.ReportMetric(ms(ds), "devstack-ms")
	b.ReportMetric(ms(dc), "compose-ms")
	b.ReportMetric(ms(floor), "floor-ms")
	b.ReportMetric(float64(ds)/float64(floor), "devstack/floor")
	b.ReportMetric(float64(dc)/float64(floor), "compose/floor")
	b.ReportMetric(ms(dsCPU), "devstack-cpu-ms")
	b.ReportMetric(ms(dcCPU), "compose-cpu-ms")
}

// floorPull pulls the images through the engine API in parallel, reading
// each stream to its end, and returns the wall time.
func floorPull(b *testing.B, e *Engine, refs []string) time.Duration {
	start := time.Now()
	var wg sync.WaitGroup
	errs := make([]error, len(refs))
	for i, ref := range refs {
		wg.Go(func() {
			resp, err := e.api.ImagePull(context.Background(), ref, client.ImagePullOptions{})
			if err == nil {
				err = resp.Wait(context.Background())
			}
			errs[i] = err
		})
	}
	wg.Wait()
	d := time.Since(start)
	for i, err := range errs {
		if err != nil {
			b.Fatalf("floor pull %s: %v", refs[i], err)
		}
	}
	return d
}
