package e2e

import (
	"encoding/json"
	"os/exec"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
)

// TestPsJSONMatchesCompose starts a stack with Compose v5.6.0 and compares
// `devstack ps --format json` with `docker compose ps --format json` field
// by field: the same keys, and the same values but for the humanised
// durations (RunningFor, Status), which move with the clock.
func TestPsJSONMatchesCompose(t *testing.T) {
	requireImages(t, "local/busybox")
	compose := composeBinary(t)
	dir := t.TempDir()
	project := projectName(t, "psjson")
	putFile(t, filepath.Join(dir, "compose.yaml"), "services:\n  app:\n    image: local/busybox\n    init: true\n"+
		"    command: [\"sleep\", \"1d\"]\n    ports: [\"127.0.0.1::80\"]\n    volumes: [\"data:/d\"]\n"+
		"  idle:\n    image: local/busybox\n    init: true\n    command: [\"sleep\", \"1d\"]\nvolumes:\n  data:\n")
	up := exec.Command(compose, "-p", project, "up", "-d")
	up.Dir = dir
	if out, err := up.CombinedOutput(); err != nil {
		t.Fatalf("compose up: %v: %s", err, out)
	}
	ps := exec.Command(compose, "-p", project, "ps", "-a", "--format", "json")
	ps.Dir = dir
	theirs, err := ps.Output()
	if err != nil {
		t.Fatalf("compose ps: %v", err)
	}
	ours := mustRun(t, dir, "-p", project, "ps", "-a", "--format", "json").stdout
	a, b := jsonLines(t, string(ours)), jsonLines(t, string(theirs))
	if len(a) != len(b) || len(a) != 2 {
		t.Fatalf("got %d lines, compose %d, want 2 each:\n%s\n%s", len(a), len(b), ours, theirs)
	}
	for i := range a {
		if ka, kb := slices.Sorted(mapKeys(a[i])), slices.Sorted(mapKeys(b[i])); !reflect.DeepEqual(ka, kb) {
			t.Errorf("keys: got %v, compose %v", ka, kb)
		}
		for k, want := range b[i] {
			got := a[i][k]
			switch k {
			case "RunningFor", "Status":
				continue
			case "Labels":
				got, want = sortedCSV(got), sortedCSV(want)
			}
			if !reflect.DeepEqual(got, want) {
				t.Errorf("%s %s: got %v, compose %v", b[i]["Name"], k, got, want)
			}
		}
	}
}

func jsonLines(t *testing.T, s string) []map[string]any {
	t.Helper()
	var out []map[string]any
	for _, line := range strings.Split(strings.TrimSpace(s), "\n") {
		var m map[string]any
		if err := json.Unmarshal([]byte(line), &m); err != nil {
			t.Fatalf("not JSON: %q: %v", line, err)
		}
		out = append(out, m)
	}
	return out
}

func mapKeys(m map[string]any) func(func(string) bool) {
	return func(yield func(string) bool) {
		for k := range m {
			if !yield(k) {
				return
			}
		}
	}
}

func sortedCSV(v any) any {
	s, _ := v.(string)
	parts := strings.Split(s, ",")
	slices.Sort(parts)
	return strings.Join(parts, ",")
}
