package main

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/devstack/devstack/stack"
)

func TestSizes(t *testing.T) {
	tests := []struct {
		n            float64
		decimal, bin string
	}{
		{0, "0B", "0B"},
		{999, "999B", "999B"},
		{1180, "1.18kB", "1.152KiB"},
		{1987968, "1.99MB", "1.896MiB"},
		{25274253312, "25.3GB", "23.54GiB"},
	}
	for _, tt := range tests {
		if got := decimalSize(tt.n); got != tt.decimal {
			t.Errorf("decimalSize(%v) = %q, want %q", tt.n, got, tt.decimal)
		}
		if got := binarySize(tt.n); got != tt.bin {
			t.Errorf("binarySize(%v) = %q, want %q", tt.n, got, tt.bin)
		}
	}
}

func TestHumanDuration(t *testing.T) {
	tests := []struct {
		d    time.Duration
		want string
	}{
		{500 * time.Millisecond, "Less than a second"},
		{time.Second, "1 second"},
		{42 * time.Second, "42 seconds"},
		{90 * time.Second, "About a minute"},
		{11 * time.Minute, "11 minutes"},
		{50 * time.Minute, "50 minutes"},
		{70 * time.Minute, "About an hour"},
		{5 * time.Hour, "5 hours"},
		{72 * time.Hour, "3 days"},
		{21 * 24 * time.Hour, "3 weeks"},
		{90 * 24 * time.Hour, "3 months"},
		{3 * 365 * 24 * time.Hour, "3 years"},
	}
	for _, tt := range tests {
		if got := humanDuration(tt.d); got != tt.want {
			t.Errorf("humanDuration(%v) = %q, want %q", tt.d, got, tt.want)
		}
	}
}

func TestRowFormat(t *testing.T) {
	f := rowFormat{defaultTable: "table {{.ID}}\t{{.Name}}", headers: map[string]string{"ID": "CONTAINER ID", "Name": "NAME"}}
	rows := []map[string]string{{"ID": "abc", "Name": "p-web-1"}, {"ID": "def", "Name": "p-db-1"}}
	tests := []struct{ format, want string }{
		{"", "CONTAINER ID   NAME\nabc            p-web-1\ndef            p-db-1\n"},
		{"table", "CONTAINER ID   NAME\nabc            p-web-1\ndef            p-db-1\n"},
		{"table {{.Name}}", "NAME\np-web-1\np-db-1\n"},
		{"{{.Name}}: {{.ID}}", "p-web-1: abc\np-db-1: def\n"},
		{"json", "{\"ID\":\"abc\",\"Name\":\"p-web-1\"}\n{\"ID\":\"def\",\"Name\":\"p-db-1\"}\n"},
		{`{{upper .Name}}\t{{json .ID}}`, "P-WEB-1\t\"abc\"\nP-DB-1\t\"def\"\n"},
	}
	for _, tt := range tests {
		var b bytes.Buffer
		if err := f.print(&b, tt.format, rows); err != nil || b.String() != tt.want {
			t.Errorf("format %q: got %q, %v; want %q", tt.format, b.String(), err, tt.want)
		}
	}
	var b bytes.Buffer
	for _, bad := range []string{"{{.Nope}}", "{{.Name"} {
		if err := f.print(&b, bad, rows); err == nil {
			t.Errorf("format %q: want an error", bad)
		}
	}
}

func TestPrintTop(t *testing.T) {
	procs := []stack.Processes{
		{Service: "db", Replica: "1", Titles: []string{"PID", "CMD", "TIME"}, Processes: [][]string{{"10", "mariadbd", "00:01"}}},
		{Service: "web", Replica: "2", Titles: []string{"PID", "CMD", "USER"}, Processes: [][]string{{"20", "sleep 1d", "root"}}},
	}
	var b bytes.Buffer
	if err := printTop(&b, procs); err != nil {
		t.Fatal(err)
	}
	// compose's tabwriter: columns at least 4 wide, 2 spaces apart, CMD last.
	want := "SERVICE  #   PID  TIME   USER  CMD\n" +
		"db       1   10   00:01  -     mariadbd\n" +
		"web      2   20   -      root  sleep 1d\n"
	if b.String() != want {
		t.Errorf("got\n%s\nwant\n%s", b.String(), want)
	}
	b.Reset()
	if printTop(&b, nil); b.Len() != 0 {
		t.Errorf("no processes: got %q, want nothing", b.String())
	}
}

func TestEventsWindow(t *testing.T) {
	now := time.Date(2026, 11, 29, 12, 0, 0, 0, time.UTC)
	since, until, err := eventsFlags{since: "10m", until: "2026-11-29T12:30:00Z"}.window(now)
	if err != nil || !since.Equal(now.Add(-10*time.Minute)) || !until.Equal(now.Add(30*time.Minute)) {
		t.Errorf("got %v, %v, %v; want 11:50 and 12:30", since, until, err)
	}
	if since, until, err := (eventsFlags{}).window(now); err != nil || !since.IsZero() || !until.IsZero() {
		t.Errorf("no flags: got %v, %v, %v; want zero times", since, until, err)
	}
	if _, _, err := (eventsFlags{until: "soon"}).window(now); err == nil || !strings.Contains(err.Error(), "--until") {
		t.Errorf("a bad --until: got %v, want an error naming --until", err)
	}
}
