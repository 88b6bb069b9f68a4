package stack

import (
	"bytes"
	"encoding/binary"
	"strings"
	"testing"
	"time"

	"github.com/moby/moby/api/pkg/stdcopy"
)

const ts1 = "2024-05-06T07:08:09.123456789Z"

var time1 = time.Date(2024, 5, 6, 7, 8, 9, 123456789, time.UTC)

// frame encodes one message as the engine multiplexes it.
func frame(stream stdcopy.StdType, msg string) []byte {
	h := make([]byte, 8)
	h[0] = byte(stream)
	binary.BigEndian.PutUint32(h[4:], uint32(len(msg)))
	return append(h, msg...)
}

func collectLines(t *testing.T, tty bool, raw []byte) []LogLine {
	t.Helper()
	var got []LogLine
	_, err := copyLogs(bytes.NewReader(raw), logTarget{id: "c1", name: "p-app-1", service: "app", tty: tty},
		func(l LogLine) bool { got = append(got, l); return true })
	if err != nil {
		t.Fatal(err)
	}
	return got
}

func TestCopyLogsMultiplexed(t *testing.T) {
	var raw []byte
	raw = append(raw, frame(stdcopy.Stdout, ts1+" hello\n")...)
	raw = append(raw, frame(stdcopy.Stderr, ts1+" \x1b[31mred\x1b[0m\r\n")...)
	// A long line the engine split into partial messages, each stamped.
	raw = append(raw, frame(stdcopy.Stdout, ts1+" part1-")...)
	raw = append(raw, frame(stdcopy.Stdout, "2024-05-06T07:08:10.000000000Z part2\n")...)
	raw = append(raw, frame(stdcopy.Stdout, ts1+" no newline at the end")...)
	got := collectLines(t, false, raw)
	want := []struct {
		stream Stream
		text   string
	}{
		{Stdout, "hello"},
		{Stderr, "\x1b[31mred\x1b[0m"},
		{Stdout, "part1-part2"},
		{Stdout, "no newline at the end"},
	}
	if len(got) != len(want) {
		t.Fatalf("got %d lines %+v, want %d", len(got), got, len(want))
	}
	for i, w := range want {
		if got[i].Stream != w.stream || got[i].Text != w.text || !got[i].Time.Equal(time1) {
			t.Errorf("line %d: got %v %q %v, want %v %q %v", i, got[i].Stream, got[i].Text, got[i].Time, w.stream, w.text, time1)
		}
		if got[i].Service != "app" || got[i].ContainerName != "p-app-1" || got[i].ContainerID != "c1" {
			t.Errorf("line %d: got origin %q %q %q", i, got[i].Service, got[i].ContainerName, got[i].ContainerID)
		}
	}
}

// Frames larger than the reader's buffer (other log drivers do not split
// lines) and errors the engine sends inside the stream.
func TestCopyLogsBigFrameAndEngineError(t *testing.T) {
	big := strings.Repeat("z", 100<<10)
	raw := frame(stdcopy.Stdout, ts1+" "+big+"\n")
	raw = append(raw, frame(stdcopy.Stderr, ts1+" after\n")...)
	got := collectLines(t, false, raw)
	if len(got) != 3 || got[0].Text+got[1].Text != big || got[2].Text != "after" || got[2].Stream != Stderr {
		t.Fatalf("got %d lines, want the big line in two pieces then stderr 'after'", len(got))
	}
	raw = append(raw, frame(stdcopy.Systemerr, "boom")...)
	_, err := copyLogs(bytes.NewReader(raw), logTarget{}, func(LogLine) bool { return true })
	if err == nil || !strings.Contains(err.Error(), "boom") {
		t.Errorf("got error %v, want the engine's 'boom'", err)
	}
}

func TestCopyLogsTTY(t *testing.T) {
	raw := ts1 + " one\r\n" + ts1 + " two\r\n" + ts1 + " \x1b[1mthree"
	got := collectLines(t, true, []byte(raw))
	var texts []string
	for _, l := range got {
		texts = append(texts, l.Text)
		if l.Stream != Stdout || !l.Time.Equal(time1) {
			t.Errorf("line %q: got stream %v time %v, want stdout %v", l.Text, l.Stream, l.Time, time1)
		}
	}
	if strings.Join(texts, "|") != "one|two|\x1b[1mthree" {
		t.Errorf("got %q", texts)
	}
}

// A line far longer than maxLogLine comes out in pieces of maxLogLine,
// whether it arrives as many partial frames or one raw run.
func TestCopyLogsCutsLongLines(t *testing.T) {
	long := strings.Repeat("x", 2*maxLogLine+10)
	var framed []byte
	for rest := long; rest != ""; {
		n := min(len(rest), 16<<10)
		framed = append(framed, frame(stdcopy.Stdout, ts1+" "+rest[:n])...)
		rest = rest[n:]
	}
	framed = append(framed, frame(stdcopy.Stdout, ts1+" \n")...)
	for name, got := range map[string][]LogLine{
		"multiplexed": collectLines(t, false, framed),
		"tty":         collectLines(t, true, []byte(ts1+" "+long+"\n")),
	} {
		var sizes []int
		for _, l := range got {
			sizes = append(sizes, len(l.Text))
			if strings.Trim(l.Text, "x") != "" {
				t.Errorf("%s: piece holds more than the line's bytes: %.40q", name, l.Text)
			}
		}
		if len(sizes) != 3 || sizes[0] != maxLogLine || sizes[1] != maxLogLine || sizes[2] != 10 {
			t.Errorf("%s: got pieces of %v, want [%d %d 10]", name, sizes, maxLogLine, maxLogLine)
		}
	}
}

func TestCutTimestamp(t *testing.T) {
	tests := []struct {
		in, rest string
		want     time.Time
	}{
		{ts1 + " text", "text", time1},
		{"2024-05-06T09:08:09.5+02:00 text", "text", time.Date(2024, 5, 6, 7, 8, 9, 5e8, time.UTC)},
		{"no stamp here", "no stamp here", time.Time{}},
		{"2024-05-06T07:08:09.12345678xZ text", "2024-05-06T07:08:09.12345678xZ text", time.Time{}},
		{"", "", time.Time{}},
	}
	for _, tt := range tests {
		got, rest := cutTimestamp([]byte(tt.in))
		if !got.Equal(tt.want) || string(rest) != tt.rest {
			t.Errorf("cutTimestamp(%q): got %v %q, want %v %q", tt.in, got, rest, tt.want, tt.rest)
		}
	}
}

func BenchmarkCopyLogsParse(b *testing.B) {
	var raw []byte
	line := ts1 + " " + strings.Repeat("y", 80) + "\n"
	for range 10000 {
		raw = append(raw, frame(stdcopy.Stdout, line)...)
	}
	target := logTarget{id: "c1", name: "p-app-1", service: "app"}
	b.ReportAllocs()
	b.SetBytes(int64(len(raw)))
	for b.Loop() {
		n := 0
		copyLogs(bytes.NewReader(raw), target, func(LogLine) bool { n++; return true })
		if n != 10000 {
			b.Fatalf("got %d lines", n)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*10000), "ns/line")
}
