package main

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/devstack/devstack/stack"
)

// pullSequence is a two-layer pull of one image, step by step.
func pullSequence() []stack.Progress {
	st := func(layer int, cur int64, layers ...stack.LayerStatus) *stack.PullStatus {
		s := stack.PullStatus{Image: "mariadb:11.4", Services: []string{"db"}, Layers: layers, Layer: layer}
		for _, l := range layers {
			s.Current += l.Transferred
			s.Total += l.Size
		}
		return &s
	}
	a := stack.LayerStatus{ID: "aaa111", Status: "Downloading", Current: 12_100_000, Total: 20_000_000, Size: 20_000_000, Transferred: 12_100_000}
	b := stack.LayerStatus{ID: "bbb222", Status: "Waiting"}
	bDown := stack.LayerStatus{ID: "bbb222", Status: "Downloading", Current: 0, Total: 8_000_000, Size: 8_000_000}
	aDone := stack.LayerStatus{ID: "aaa111", Status: "Pull complete", Size: 20_000_000, Transferred: 20_000_000, Done: true}
	bDone := stack.LayerStatus{ID: "bbb222", Status: "Pull complete", Size: 8_000_000, Transferred: 8_000_000, Done: true}
	return []stack.Progress{
		{Kind: stack.ProgressPulling, Subject: "mariadb:11.4", Service: "db", Text: "Pulling", Pull: st(-1, 0)},
		{Kind: stack.ProgressPulling, Subject: "mariadb:11.4", Service: "db", Pull: st(1, 0, a, b)},
		{Kind: stack.ProgressPulling, Subject: "mariadb:11.4", Service: "db", Pull: st(1, 0, a, bDown)},
		{Kind: stack.ProgressPulling, Subject: "mariadb:11.4", Service: "db", Pull: st(0, 0, aDone, bDown)},
		{Kind: stack.ProgressPulling, Subject: "mariadb:11.4", Service: "db", Pull: st(1, 0, aDone, bDone)},
		{Kind: stack.ProgressPulled, Subject: "mariadb:11.4", Service: "db", Text: "Pulled", Pull: st(-1, 0, aDone, bDone)},
	}
}

func noPaint(_ int, s string) string { return s }

func TestPullViewPlain(t *testing.T) {
	var b bytes.Buffer
	v := newPullView(&b, false, nil, noPaint)
	clock := time.Unix(0, 0)
	v.now = func() time.Time { clock = clock.Add(time.Second); return clock }
	for _, p := range pullSequence() {
		v.report(p)
	}
	got := b.String()
	for _, want := range []string{"mariadb:11.4", "Pulling", "aaa111 Pull complete", "bbb222 Pull complete", "Pulled", "28.0 MB"} {
		if !strings.Contains(got, want) {
			t.Errorf("plain output lacks %q:\n%s", want, got)
		}
	}
	if strings.Contains(got, "\x1b[") {
		t.Errorf("plain output has escape sequences:\n%q", got)
	}
}

func TestPullViewLive(t *testing.T) {
	var b bytes.Buffer
	v := newPullView(&b, true, func() int { return 40 }, noPaint)
	clock := time.Unix(0, 0)
	v.now = func() time.Time { clock = clock.Add(time.Second); return clock }
	seq := pullSequence()
	for _, p := range seq[:3] {
		v.report(p)
	}
	// The last frame: the image line with percent and bytes, a line per layer.
	frame := b.String()[strings.LastIndex(b.String(), "\x1b[3F")+len("\x1b[3F"):]
	for _, want := range []string{"Pulling", " 43%  12.1/28.0 MB", "0/2 layers", "aaa111", "Downloading", "12.1/20.0 MB", "bbb222"} {
		if !strings.Contains(frame, want) {
			t.Errorf("live frame lacks %q:\n%s", want, frame)
		}
	}
	for _, p := range seq[3:] {
		v.report(p)
	}
	if end := b.String(); !strings.Contains(end, "Pulled") || !strings.Contains(end, "28.0 MB") {
		t.Errorf("no final line:\n%q", end)
	}
	// With no room for layers, only the image line is drawn.
	b.Reset()
	v = newPullView(&b, true, func() int { return 3 }, noPaint)
	for _, p := range seq[:3] {
		v.report(p)
	}
	if strings.Contains(b.String(), "aaa111") {
		t.Errorf("layers drawn on a 3-row terminal:\n%q", b.String())
	}
}

func TestTransferText(t *testing.T) {
	st := stack.PullStatus{Current: 12_100_000, Total: 28_000_000, Layers: make([]stack.LayerStatus, 4)}
	if got, want := transferText(st, 3_200_000), " 43%  12.1/28.0 MB  3.2 MB/s  0/4 layers"; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
	if got := bytesOf(512, 900); got != "512.0/900.0 B" {
		t.Errorf("got %q", got)
	}
}

func BenchmarkPullViewLive(b *testing.B) {
	var out bytes.Buffer
	v := newPullView(&out, true, func() int { return 40 }, noPaint)
	seq := pullSequence()
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		v.report(seq[1+i%3])
		if out.Len() > 1<<20 {
			out.Reset()
		}
	}
}
