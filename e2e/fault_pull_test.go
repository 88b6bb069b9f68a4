package e2e

import (
	"fmt"
	"math/rand/v2"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	v1 "github.com/google/go-containerregistry/pkg/v1"

	"github.com/devstack/devstack/internal/testregistry"
)

// pullServices are the services of the pull fault's stack; the first holds
// the named volume.
var pullServices = []string{"a", "b", "c"}

// pullStack names, for every service, an image that exists only in the
// loopback registry, tagged with the round, so each round's up must pull
// all of them before it can recreate anything.
func pullStack(host string, round int) string {
	var b strings.Builder
	b.WriteString("services:\n")
	for i, svc := range pullServices {
		fmt.Fprintf(&b, "  %s:\n    image: %s/fault/%s:r%d\n    init: true\n    command: [\"sleep\", \"1d\"]\n", svc, host, svc, round)
		if i == 0 {
			b.WriteString("    volumes:\n      - data:/data\n")
		}
	}
	b.WriteString("volumes:\n  data:\n")
	return b.String()
}

// TestFaultKilledMidPull kills `devstack up -d` (SIGKILL three times, then
// ctrl-c) while the engine pulls the new images of a running 3-service
// stack from a throttled loopback registry, at a random point of the pull
// measured in blob bytes served, then runs `up -d` again at full speed: it
// must converge to the file (one running container per service under its
// final name, each on the image the registry holds, no orphan), keep the
// named volume's data, and nothing may panic. Ctrl-c must end up with exit
// 130 and one sentence saying it was interrupted and what state it left.
func TestFaultKilledMidPull(t *testing.T) {
	base := busyboxImage(t)
	th := testregistry.NewThrottle(40 * time.Millisecond)
	reg := testregistry.Start(t, th.Wrap)
	// Registered before the project so it runs after the project's
	// containers are gone.
	t.Cleanup(func() { removeImagesUnder(t, reg.Host) })
	dir := t.TempDir()
	project := projectName(t, "killpull")

	// Round 0 at full speed: the stack runs and its volume holds data.
	th.SetOn(false)
	want, _ := pushPullRound(t, reg, base, 0)
	putFile(t, filepath.Join(dir, "compose.yaml"), pullStack(reg.Host, 0))
	mustRun(t, dir, "-p", project, "up", "-d")
	sum := dockerExec(t, project+"-a-1", "sh", "-c",
		"head -c 1048576 /dev/urandom > /data/blob && sha256sum /data/blob | tee /data/sum")
	checkPulledStack(t, project, want, 0)

	seed := uint64(time.Now().UnixNano())
	rng := rand.New(rand.NewPCG(seed, 4))
	signals := []syscall.Signal{syscall.SIGKILL, syscall.SIGKILL, syscall.SIGKILL, syscall.SIGINT}
	worst := map[syscall.Signal]time.Duration{}
	midPull := map[syscall.Signal]int{}
	for i, sig := range signals {
		round := i + 1
		var total int64
		want, total = pushPullRound(t, reg, base, round)
		putFile(t, filepath.Join(dir, "compose.yaml"), pullStack(reg.Host, round))
		th.SetOn(true)
		from := th.Served()
		// At least one byte: the engine is pulling, not up still loading;
		// at most three quarters, so a slow tick of this loop on a loaded
		// machine still signals before the last byte.
		at := 1 + rng.Int64N(total*3/4)
		var seen int64
		out, code, signalled := interruptUpWhen(t, dir, project, sig, func() bool {
			seen = th.Served() - from
			return seen >= at
		})
		if !signalled {
			t.Fatalf("round %d: up ended before the %s point of the pull:\n%s", round, sig, out)
		}
		th.SetOn(false)
		inPull := seen < total
		if inPull {
			midPull[sig]++
		} else {
			// Not devstack's doing: this process was too slow to signal in
			// time. The next up must still converge.
			t.Logf("round %d: the %s came after the whole pull (%d of %d bytes)", round, sig, seen, total)
		}
		if round == 1 || sig == syscall.SIGINT {
			t.Logf("round %d: what up printed when %s came %.1f MB into a %.1f MB pull:\n%s",
				round, sig, float64(seen)/1e6, float64(total)/1e6, tailLines(out, 6))
		}
		if sig == syscall.SIGINT && inPull {
			// The old containers all still run: the sentence must say they
			// are not what the file asks for yet.
			state := "up interrupted: 3 of 3 services running (3 still on their previous configuration)"
			if code != exitInterruptedCode || !strings.Contains(out, state) ||
				strings.Contains(out, "http://") || strings.Contains(out, "unreachable") {
				t.Errorf("round %d: ctrl-c mid-pull: want exit %d and one sentence saying %q, got exit %d:\n%s",
					round, exitInterruptedCode, state, code, out)
			}
		}
		start := time.Now()
		r := devstack(t, dir, "-p", project, "up", "-d")
		worst[sig] = max(worst[sig], time.Since(start))
		for _, o := range []string{out, r.stdout, r.stderr} {
			if strings.Contains(o, "panic:") || strings.Contains(o, "goroutine ") {
				t.Fatalf("round %d (seed %d, %s at %d bytes): a panic:\n%s", round, seed, sig, seen, o)
			}
		}
		if r.code != 0 {
			t.Fatalf("round %d (seed %d, %s at %d bytes): the next up failed: exit %d\n%s%s", round, seed, sig, seen, r.code, r.stdout, r.stderr)
		}
		checkPulledStack(t, project, want, round)
		if got := dockerExec(t, project+"-a-1", "sh", "-c", "sha256sum -c /data/sum >/dev/null && cat /data/sum"); got != sum {
			t.Fatalf("round %d (seed %d): the named volume lost its data: %q, want %q", round, seed, got, sum)
		}
	}
	t.Logf("fault SIGKILL mid-pull: 3 runs (%d landed mid-pull), 3 survived, 0 data lost, 0 panics, worst recovery %v; "+
		"SIGINT mid-pull: 1 run (%d mid-pull), 1 survived, worst recovery %v (seed %d)",
		midPull[syscall.SIGKILL], worst[syscall.SIGKILL].Round(time.Millisecond),
		midPull[syscall.SIGINT], worst[syscall.SIGINT].Round(time.Millisecond), seed)
}

// exitInterruptedCode is devstack's exit code after ctrl-c (128+SIGINT).
const exitInterruptedCode = 130

// pullLayer is the size of each random layer; every image of a round has
// two, so a round pulls about 6 MB (about 2 s through the throttle with the
// engine's three downloads at a time).
const pullLayer = 1 << 20

// pushPullRound pushes the round's image of every service (busybox plus
// two new random layers) and returns, by service, the image ID the engine
// must end up running (the digest of the image's config), and the bytes of
// the blobs the engine lacks: the new layers and configs.
func pushPullRound(t *testing.T, reg *testregistry.Registry, base v1.Image, round int) (map[string]string, int64) {
	t.Helper()
	ids := map[string]string{}
	var total int64
	for _, svc := range pullServices {
		img := testregistry.WithRandomLayers(t, base, pullLayer, pullLayer)
		reg.Push(t, fmt.Sprintf("fault/%s:r%d", svc, round), img)
		id, err := img.ConfigName()
		if err != nil {
			t.Fatal(err)
		}
		ids[svc] = id.String()
		m, err := img.Manifest()
		if err != nil {
			t.Fatal(err)
		}
		total += m.Config.Size
		for _, l := range m.Layers[len(m.Layers)-2:] {
			total += l.Size
		}
	}
	return ids, total
}

// checkPulledStack asserts that the project has exactly one container per
// service, under its final name, running the image ID the registry holds
// for the round, and nothing else.
func checkPulledStack(t *testing.T, project string, want map[string]string, round int) {
	t.Helper()
	out := mustOutput(t, "docker", "ps", "-a", "--filter", "label=com.docker.compose.project="+project,
		"--format", `{{.ID}}|{{.Names}}|{{.State}}|{{.Label "com.docker.compose.service"}}`)
	seen := map[string]int{}
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		f := strings.Split(line, "|")
		if len(f) != 4 {
			continue
		}
		id, name, state, svc := f[0], f[1], f[2], f[3]
		seen[svc]++
		if _, ok := want[svc]; !ok {
			t.Errorf("round %d: %s belongs to no service of the file (an orphan)", round, name)
			continue
		}
		if temporaryName.MatchString(name) {
			t.Errorf("round %d: %s still has a temporary name", round, name)
		}
		if wantName := project + "-" + svc + "-1"; name != wantName || state != "running" {
			t.Errorf("round %d: got %s %s, want %s running", round, name, state, wantName)
		}
		img := strings.TrimSpace(string(mustOutput(t, "docker", "inspect", "-f", "{{.Image}}", id)))
		if img != want[svc] {
			t.Errorf("round %d: %s runs image %s, want %s (the registry's r%d)", round, name, img, want[svc], round)
		}
	}
	for svc := range want {
		if seen[svc] != 1 {
			t.Errorf("round %d: service %s has %d containers, want 1", round, svc, seen[svc])
		}
	}
	if t.Failed() {
		t.FailNow()
	}
}

// removeImagesUnder removes every image the engine holds under a test
// registry's host, by reference, and nothing else.
func removeImagesUnder(t *testing.T, host string) {
	out, err := exec.Command("docker", "image", "ls", "--format", "{{.Repository}}:{{.Tag}}").Output()
	if err != nil {
		t.Logf("cleanup: list images: %v", err)
		return
	}
	var refs []string
	for _, ref := range strings.Fields(string(out)) {
		if strings.HasPrefix(ref, host+"/") {
			refs = append(refs, ref)
		}
	}
	if len(refs) == 0 {
		return
	}
	if out, err := exec.Command("docker", append([]string{"image", "rm", "-f"}, refs...)...).CombinedOutput(); err != nil {
		t.Logf("cleanup: remove images under %s: %v: %s", host, err, out)
	}
}
