package e2e

import (
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"regexp"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"
)

// verbsStack has a service that exits 3 on SIGHUP, published ports of
// both protocols, a named and an anonymous volume, and a dependency.
const verbsStack = `services:
  web:
    image: local/busybox
    command: ["sh", "-c", "trap 'exit 3' HUP; while true; do sleep 1; done"]
    ports: ["80", "127.0.0.1::81/udp"]
    volumes: [data:/data, /anon]
  worker:
    image: local/busybox
    command: ["sleep", "1d"]
    depends_on: [web]
volumes:
  data: {}
`

// verbStep is one command of the sequence both tools run.
type verbStep []string

// verbSequence exercises every changing verb; after each step the
// containers and volumes are recorded, except after the SIGHUP, which the
// service takes a moment to act on: the wait after it shows the result.
var verbSequence = []verbStep{
	{"pause", "worker"},
	{"unpause", "worker"},
	{"kill", "-s", "HUP", "web"},
	{"wait", "web"},
	{"rm", "-f", "-v", "web"},
	{"create", "web"},
	{"scale", "worker=2"},
	{"kill", "worker"},
	{"rm", "-f"},
}

func (s verbStep) settles() bool { return slices.Contains(s, "HUP") }

// verbRun is what one tool's sequence did to one stack.
type verbRun struct {
	starter, actor string
	steps          []string // per step: exit code, normalised stdout and state
	events         string
}

// TestVerbsMatchCompose runs the same sequence of verbs with devstack and
// with Docker Compose v5.6.0, each on a stack started by devstack and on
// one started by compose, and requires the four runs to agree step by
// step: exit codes, what was printed, the containers' states and exit
// codes, which volumes are left (rm -v takes the anonymous volume, never
// the named one) and the events both tools stream meanwhile.
func TestVerbsMatchCompose(t *testing.T) {
	requireImages(t, "local/busybox")
	dev, comp := tool{"devstack", binary}, tool{"compose", composeBinary(t)}
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "compose.yaml"), []byte(verbsStack), 0o644); err != nil {
		t.Fatal(err)
	}
	var runs []*verbRun
	t.Run("runs", func(t *testing.T) {
		for _, starter := range []tool{dev, comp} {
			for _, actor := range []tool{dev, comp} {
				run := &verbRun{starter: starter.name, actor: actor.name}
				runs = append(runs, run)
				t.Run(starter.name+"-started/"+actor.name+"-acts", func(t *testing.T) {
					t.Parallel()
					name := projectName(t, "verbs")
					starter.mustRun(t, dir, "-p", name, "up", "-d")
					if actor == dev {
						compareReadVerbs(t, dir, name, dev, comp)
					}
					runSequence(t, dir, name, actor, dev, comp, run)
				})
			}
		}
	})
	want := runs[len(runs)-1] // compose on a stack compose started
	for i, s := range want.steps {
		t.Logf("compose %v: %s", verbSequence[i], s)
	}
	for _, got := range runs[:len(runs)-1] {
		for i := range want.steps {
			if i >= len(got.steps) || got.steps[i] != want.steps[i] {
				g := "(missing)"
				if i < len(got.steps) {
					g = got.steps[i]
				}
				t.Errorf("%s acting on a %s-started stack, step %v:\ngot  %s\nwant %s (compose on a compose-started stack)",
					got.actor, got.starter, verbSequence[i], g, want.steps[i])
			}
		}
	}
}

// runSequence runs every step with actor and records its result, while
// both tools stream the project's events, which must agree.
func runSequence(t *testing.T, dir, name string, actor, dev, comp tool, run *verbRun) {
	devStream := dev.start(t, dir, "-p", name, "events", "--json")
	compStream := comp.start(t, dir, "-p", name, "events", "--json")
	awaitSubscribed(t, name, devStream, compStream)
	begin := time.Now().UTC()
	anon := anonymousVolumes(t, name)
	if len(anon) != 1 {
		t.Fatalf("want one anonymous volume on %s-web-1, found %v", name, anon)
	}
	for _, step := range verbSequence {
		r := actor.run(t, dir, append([]string{"-p", name}, step...)...)
		if r.code != 0 && step[0] != "wait" {
			t.Errorf("%s %v: exit %d: %s", actor.name, step, r.code, r.stderr)
		}
		state := "(settling)"
		if !step.settles() {
			state = stableSnapshot(t, name, anon)
		}
		run.steps = append(run.steps, fmt.Sprintf("exit %d | %s | %s", r.code, normalise(r.stdout, name), state))
	}
	time.Sleep(time.Second) // the last events arrive
	devEvents, compEvents := afterMarker(parseEvents(t, devStream.stop())), afterMarker(parseEvents(t, compStream.stop()))
	// Two subscribers may see events of the same instant (the two kills of
	// one `kill`) in either order.
	for _, evs := range [][]map[string]any{devEvents, compEvents} {
		sort.SliceStable(evs, func(i, j int) bool { return fmt.Sprint(evs[i]["time"]) < fmt.Sprint(evs[j]["time"]) })
	}
	if len(compEvents) < len(verbSequence) {
		t.Errorf("compose saw only %d events", len(compEvents))
	}
	if !reflect.DeepEqual(devEvents, compEvents) {
		t.Errorf("events --json differ from compose's:\ndevstack %v\ncompose  %v", devEvents, compEvents)
	}
	// The same history replayed with --since and --until. Compose exits 1
	// ("EOF") when the engine ends the stream at --until; devstack exits 0.
	// The engine keeps only its last 256 events, which a busy shared engine
	// overwrites within seconds: compare where both replays overlap.
	window := []string{"-p", name, "events", "--json", "--since", begin.Format(time.RFC3339Nano), "--until", time.Now().UTC().Format(time.RFC3339Nano)}
	replayed := dev.mustRun(t, dir, window...).stdout
	compReplayed := comp.run(t, dir, window...).stdout
	d, c := sortedLines(replayed), sortedLines(compReplayed)
	from := max(d[0], c[0])
	d, c = linesFrom(d, from), linesFrom(c, from)
	if len(c) == 0 && len(d) == 0 {
		t.Logf("events --since --until: the engine's history had already dropped this run's events")
	}
	if strings.Join(d, "\n") != strings.Join(c, "\n") {
		t.Errorf("events --since --until from %s on:\ndevstack\n%s\ncompose\n%s", from, strings.Join(d, "\n"), strings.Join(c, "\n"))
	}
}

// sortedLines orders events --json lines by their time; it returns one
// empty key for no lines.
func sortedLines(s string) []string {
	lines := strings.Split(strings.TrimSpace(s), "\n")
	timeOf := func(l string) string { _, after, _ := strings.Cut(l, `"time":"`); return after }
	sort.Slice(lines, func(i, j int) bool { return timeOf(lines[i]) < timeOf(lines[j]) })
	for i, l := range lines {
		lines[i] = timeOf(l) + " " + l
	}
	return lines
}

// linesFrom keeps the lines (prefixed by their time) at or after from.
func linesFrom(lines []string, from string) []string {
	var out []string
	for _, l := range lines {
		if l >= from && strings.TrimSpace(l) != "" {
			out = append(out, l)
		}
	}
	return out
}

// awaitSubscribed changes the worker's CPU shares (an "update" event) until
// both event streams have shown one, so both see everything after it.
func awaitSubscribed(t *testing.T, project string, streams ...*started) {
	t.Helper()
	deadline := time.Now().Add(time.Minute)
	for shares := 512; time.Now().Before(deadline); shares++ {
		if out, err := exec.Command("docker", "container", "update", "--cpu-shares", fmt.Sprint(shares), project+"-worker-1").CombinedOutput(); err != nil {
			t.Fatalf("docker container update: %v: %s", err, out)
		}
		for range 20 {
			time.Sleep(100 * time.Millisecond)
			seen := 0
			for _, s := range streams {
				if strings.Contains(s.output(), `"action":"update"`) {
					seen++
				}
			}
			if seen == len(streams) {
				return
			}
		}
	}
	t.Fatal("the event streams showed no update event within a minute")
}

// afterMarker drops the events up to the last "update" (see awaitSubscribed).
func afterMarker(evs []map[string]any) []map[string]any {
	for i := len(evs) - 1; i >= 0; i-- {
		if evs[i]["action"] == "update" {
			return evs[i+1:]
		}
	}
	return evs
}

var hexID = regexp.MustCompile(`[0-9a-f]{64}`)

// normalise replaces the project name and container IDs, which differ
// from one run to the next.
func normalise(s, project string) string {
	s = strings.ReplaceAll(s, project, "P")
	return strings.TrimSpace(hexID.ReplaceAllString(s, "ID"))
}

// snapshot records the project's containers (state, exit code) and
// volumes: the named one by label, the anonymous ones by name.
func snapshot(t *testing.T, project string, anon []string) string {
	t.Helper()
	out, err := exec.Command("docker", "ps", "-a", "--filter", "label=com.docker.compose.project="+project,
		"--format", "{{.Names}}").Output()
	if err != nil {
		t.Fatal(err)
	}
	var parts []string
	for _, c := range strings.Fields(string(out)) {
		st, _ := exec.Command("docker", "inspect", "-f", "{{.State.Status}}:{{.State.ExitCode}}", c).Output()
		parts = append(parts, strings.ReplaceAll(c, project, "P")+"="+strings.TrimSpace(string(st)))
	}
	sort.Strings(parts)
	vols, _ := exec.Command("docker", "volume", "ls", "-q", "--filter", "label=com.docker.compose.project="+project).Output()
	parts = append(parts, "volumes:"+strings.ReplaceAll(strings.Join(strings.Fields(string(vols)), ","), project, "P"))
	for _, v := range anon {
		if exec.Command("docker", "volume", "inspect", v).Run() == nil {
			parts = append(parts, "anonymous volume kept")
		}
	}
	return strings.Join(parts, " ")
}

// stableSnapshot is the snapshot once it stops changing: a kill returns
// when the signal is sent, a moment before the engine records the exit.
func stableSnapshot(t *testing.T, project string, anon []string) string {
	t.Helper()
	prev := snapshot(t, project, anon)
	for range 20 {
		time.Sleep(250 * time.Millisecond)
		cur := snapshot(t, project, anon)
		if cur == prev {
			return cur
		}
		prev = cur
	}
	return prev
}

// anonymousVolumes lists the anonymous volumes of the project's web container.
func anonymousVolumes(t *testing.T, project string) []string {
	t.Helper()
	out, err := exec.Command("docker", "inspect", "-f", `{{range .Mounts}}{{if eq .Destination "/anon"}}{{.Name}} {{end}}{{end}}`,
		project+"-web-1").Output()
	if err != nil {
		t.Fatalf("inspect %s-web-1: %v", project, err)
	}
	return strings.Fields(string(out))
}

// parseEvents reads events --json lines into comparable maps.
func parseEvents(t *testing.T, out string) []map[string]any {
	t.Helper()
	var evs []map[string]any
	for _, line := range strings.Split(strings.TrimSpace(out), "\n") {
		if line == "" {
			continue
		}
		var ev map[string]any
		if err := json.Unmarshal([]byte(line), &ev); err != nil {
			t.Errorf("events --json line %q: %v", line, err)
			continue
		}
		evs = append(evs, ev)
	}
	return evs
}
