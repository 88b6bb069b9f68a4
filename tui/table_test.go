package tui

import (
	"context"
	"strings"
	"testing"
)

func tableScreen(t *testing.T) (*harness, *fakeBackend) {
	f, opts := shopModel(t, Options{})
	hs := newHarness(t, newModel(context.Background(), f, opts), 120, 40)
	hs.listed()
	f.stats <- shopStats()
	hs.until("stats on screen", func() bool { return len(hs.m.stats) == len(shopStats()) })
	return hs, f
}

func order(m *model) string {
	var names []string
	for _, r := range m.table.rows {
		n := r.service
		if r.scaled {
			n += "#" + string(rune('0'+r.number))
		}
		names = append(names, n)
	}
	return strings.Join(names, " ")
}

func TestTableRowsFromProjectAndContainers(t *testing.T) {
	hs, _ := tableScreen(t)
	if got, want := order(hs.m), "cache db web#1 web#2 worker debug"; got != want {
		t.Fatalf("rows %q, want %q (a row per container, declared services without one, profile last)", got, want)
	}
	hs.contains("not created")
	hs.contains("profile debug")
	hs.contains("OOMKilled (137)")
	hs.contains("↻4")
	hs.contains("128MiB/512MiB 25%")
}

func TestTableNavigation(t *testing.T) {
	hs, _ := tableScreen(t)
	sel := func() string { r, _ := hs.m.selectedRow(); return r.key }
	hs.keys("j", "j")
	if got := sel(); got != "web1000000000000000000" {
		t.Errorf("j j selected %q", got)
	}
	hs.keys("k")
	if got := sel(); got != "db0000000000000000000000" {
		t.Errorf("k selected %q", got)
	}
	hs.keys("G")
	if got := sel(); got != "service:debug" {
		t.Errorf("G selected %q", got)
	}
	hs.keys("g", "down")
	if got := sel(); got != "db0000000000000000000000" {
		t.Errorf("g down selected %q", got)
	}
	hs.keys("k", "k", "k")
	if got := sel(); got != "service:cache" {
		t.Errorf("moving above the first row selected %q", got)
	}
}

func TestTableSort(t *testing.T) {
	hs, _ := tableScreen(t)
	hs.keys(">")
	if hs.m.table.sortCol != colState {
		t.Fatalf("> sorts by %d, want state", hs.m.table.sortCol)
	}
	if got := order(hs.m); !strings.HasPrefix(got, "worker ") {
		t.Errorf("by state the exited worker is not first: %q", got)
	}
	for hs.m.table.sortCol != colCPU {
		hs.keys(">")
	}
	hs.keys("I")
	if got := order(hs.m); !strings.HasPrefix(got, "db web#1 web#2") {
		t.Errorf("by CPU descending: %q", got)
	}
	hs.contains("CPU↓")
	hs.keys("<")
	if hs.m.table.sortCol == colCPU {
		t.Error("< did not move the sort column")
	}
}

func TestTableSortKeepsSelection(t *testing.T) {
	hs, _ := tableScreen(t)
	hs.keys("j", "j", "j") // web#2
	hs.keys(">", "I")
	if r, _ := hs.m.selectedRow(); r.key != "web2000000000000000000" {
		t.Errorf("after sorting the selection moved to %q", r.key)
	}
}

func TestTableFilter(t *testing.T) {
	hs, f := tableScreen(t)
	hs.keys("/")
	hs.typeText("we")
	if got := order(hs.m); got != "web#1 web#2" {
		t.Errorf("filter 'we' while typing shows %q", got)
	}
	hs.keys("enter")
	hs.contains("web#1")
	// Data refreshes keep the filter.
	f.stats <- shopStats()
	hs.settle()
	if got := order(hs.m); got != "web#1 web#2" {
		t.Errorf("after new stats the filter shows %q", got)
	}
	hs.keys("esc")
	if got := order(hs.m); !strings.Contains(got, "db") {
		t.Errorf("esc did not clear the filter: %q", got)
	}
	hs.keys("/")
	hs.typeText("exited")
	hs.keys("enter")
	if got := order(hs.m); got != "worker" {
		t.Errorf("filter by state shows %q", got)
	}
	hs.keys("/", "ctrl+u")
	hs.typeText("zzz")
	hs.keys("enter")
	hs.contains("no service matches zzz")
}

func TestTableMouse(t *testing.T) {
	hs, _ := tableScreen(t)
	l := hs.m.regions()
	hs.send(mouseClick(5, l.tableTop+3)) // third row: web#1
	if r, _ := hs.m.selectedRow(); r.key != "web1000000000000000000" {
		t.Errorf("click selected %q", r.key)
	}
	hs.send(mouseClick(5, l.bottomTop+2))
	if hs.m.focus != focusBottom {
		t.Error("click in the logs did not focus them")
	}
	hs.send(mouseWheel(true, 5, l.tableTop+1))
	if r, _ := hs.m.selectedRow(); r.key != "web2000000000000000000" {
		t.Errorf("wheel down over the table selected %q", r.key)
	}
}

func TestMouseIgnoredBehindDialogs(t *testing.T) {
	hs, _ := tableScreen(t)
	hs.keys("D")
	l := hs.m.regions()
	hs.send(mouseClick(5, l.tableTop+3))
	if r, _ := hs.m.selectedRow(); r.key != "service:cache" {
		t.Errorf("a click behind the confirmation selected %q", r.key)
	}
}

func TestClickHeaderSorts(t *testing.T) {
	hs, _ := tableScreen(t)
	l := hs.m.regions()
	header := strings.Split(hs.screen(), "\n")[l.tableTop]
	x := visibleWidth(header[:strings.Index(header, "CPU ")])
	hs.send(mouseClick(x+1, l.tableTop))
	if hs.m.table.sortCol != colCPU || hs.m.table.desc {
		t.Fatalf("click on CPU sorts by %d desc=%v", hs.m.table.sortCol, hs.m.table.desc)
	}
	hs.send(mouseClick(x+1, l.tableTop))
	if !hs.m.table.desc {
		t.Error("a second click did not reverse")
	}
	if got := order(hs.m); !strings.HasPrefix(got, "db web#1 web#2") {
		t.Errorf("by CPU descending: %q", got)
	}
}
