package e2e

import (
	"encoding/json"
	"fmt"
	"reflect"
	"slices"
	"sort"
	"strings"
	"testing"
)

// compareReadVerbs runs the verbs that only read with both tools on the
// same stack and compares what they print: exactly, or field by field
// where the output is JSON and the order or the figures may change.
func compareReadVerbs(t *testing.T, dir, name string, dev, comp tool) {
	t.Helper()
	for _, args := range [][]string{
		{"port", "web", "80"},
		{"port", "web"},
		{"port", "--protocol", "udp", "web", "81"},
		{"port", "--index", "1", "worker"},
		{"top", "worker"},
		{"images", "-q"},
		{"version", "--short"},
	} {
		d, c := dev.run(t, dir, append([]string{"-p", name}, args...)...), comp.run(t, dir, append([]string{"-p", name}, args...)...)
		if d.code != c.code || d.stdout != c.stdout {
			if args[0] == "version" {
				continue // each prints its own version; the shape is compared below
			}
			t.Errorf("%v: devstack (exit %d):\n%s\ncompose (exit %d):\n%s", args, d.code, d.stdout, c.code, c.stdout)
		}
	}
	compareImages(t, dir, name, dev, comp)
	compareStats(t, dir, name, dev, comp)
	if v := dev.mustRun(t, dir, "version", "--short").stdout; strings.Contains(v, " ") || strings.Count(v, "\n") != 1 {
		t.Errorf("version --short should print the bare version on one line, got %q", v)
	}
}

func compareImages(t *testing.T, dir, name string, dev, comp tool) {
	t.Helper()
	decode := func(out string) []map[string]any {
		var list []map[string]any
		if err := json.Unmarshal([]byte(out), &list); err != nil {
			t.Fatalf("images --format json: %v\n%s", err, out)
		}
		sort.Slice(list, func(i, j int) bool {
			return fmt.Sprint(list[i]["ContainerName"]) < fmt.Sprint(list[j]["ContainerName"])
		})
		return list
	}
	args := []string{"-p", name, "images", "--format", "json"}
	d, c := decode(dev.mustRun(t, dir, args...).stdout), decode(comp.mustRun(t, dir, args...).stdout)
	if len(d) != 2 || len(d) != len(c) {
		t.Fatalf("images --format json: devstack lists %d containers, compose %d", len(d), len(c))
	}
	for i := range c {
		for field, want := range c[i] {
			if !reflect.DeepEqual(d[i][field], want) {
				t.Errorf("images --format json, %v, field %s: got %v, want %v", c[i]["ContainerName"], field, d[i][field], want)
			}
		}
		if len(d[i]) != len(c[i]) {
			t.Errorf("images --format json: devstack has fields %v, compose %v", keys(d[i]), keys(c[i]))
		}
	}
	// The table, but for the age column, which may tick between the two runs.
	table := func(out string) []string {
		var rows []string
		for _, line := range strings.Split(strings.TrimSpace(out), "\n") {
			rows = append(rows, line[:min(len(line), strings.Index(line+"CREATED", "CREATED"))])
		}
		return rows
	}
	dt, ct := dev.mustRun(t, dir, "-p", name, "images").stdout, comp.mustRun(t, dir, "-p", name, "images").stdout
	if len(dt) < 20 || !reflect.DeepEqual(table(dt), table(ct)) {
		t.Errorf("images table:\ndevstack\n%s\ncompose\n%s", dt, ct)
	}
}

// compareStats checks stats --no-stream: the same columns, containers,
// names, IDs and process counts (CPU and memory move).
func compareStats(t *testing.T, dir, name string, dev, comp tool) {
	t.Helper()
	rows := func(out string) map[string]map[string]any {
		byName := map[string]map[string]any{}
		for _, row := range parseEvents(t, out) {
			byName[fmt.Sprint(row["Name"])] = row
		}
		return byName
	}
	args := []string{"-p", name, "stats", "--no-stream", "--format", "json"}
	d, c := rows(dev.mustRun(t, dir, args...).stdout), rows(comp.mustRun(t, dir, args...).stdout)
	if len(c) != 2 || len(d) != len(c) {
		t.Fatalf("stats --no-stream: devstack shows %v, compose %v", keys(d), keys(c))
	}
	for n, want := range c {
		got := d[n]
		if !slices.Equal(keys(got), keys(want)) {
			t.Errorf("stats %s: devstack fields %v, compose %v", n, keys(got), keys(want))
		}
		for _, f := range []string{"ID", "Container", "Name", "PIDs"} {
			if got[f] != want[f] {
				t.Errorf("stats %s field %s: got %v, want %v", n, f, got[f], want[f])
			}
		}
	}
	header := func(out string) string { return strings.Join(strings.Fields(strings.SplitN(out, "\n", 2)[0]), " ") }
	dh, ch := header(dev.mustRun(t, dir, "-p", name, "stats", "--no-stream").stdout), header(comp.mustRun(t, dir, "-p", name, "stats", "--no-stream").stdout)
	if dh != ch {
		t.Errorf("stats header: got %q, want %q", dh, ch)
	}
}

func keys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
