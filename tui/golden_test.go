package tui

import (
	"context"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

// checkGolden compares a screen with testdata/<name>.golden.
func checkGolden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", name+".golden")
	if *update {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./tui -update)", err)
	}
	if got != string(want) {
		t.Errorf("%s differs from %s:\ngot:\n%s\nwant:\n%s", name, path, got, want)
	}
}

// shopScreen is the shop stack on screen with its stats and logs in.
func shopScreen(t *testing.T, w, h int) *harness {
	f, opts := shopModel(t, Options{})
	hs := newHarness(t, newModel(context.Background(), f, opts), w, h)
	hs.listed()
	f.stats <- shopStats()
	f.logs <- shopLogs()
	hs.until("stats and logs on screen", func() bool {
		return len(hs.m.stats) == len(shopStats()) && len(hs.m.logs.store.all) == len(shopLogs())
	})
	return hs
}

func TestGoldenScreens(t *testing.T) {
	sizes := []struct{ w, h int }{{80, 24}, {120, 40}, {160, 40}}
	cases := []struct {
		name string
		keys []string
		text string
	}{
		{"main", nil, ""},
		{"logs-search", []string{"tab", "/"}, "error"},
		{"inspect", []string{"j", "j", "i"}, ""},
		{"rebuild-picker", []string{"j", "j", "b"}, ""},
		{"help", []string{"?"}, ""},
		{"palette", []string{"j", "j", ":"}, ""},
		{"logs-selected", []string{"j", "l", "j"}, ""},
	}
	for _, c := range cases {
		for _, s := range sizes {
			name := fmt.Sprintf("%s-%dx%d", c.name, s.w, s.h)
			t.Run(name, func(t *testing.T) {
				hs := shopScreen(t, s.w, s.h)
				hs.keys(c.keys...)
				if c.text != "" {
					hs.typeText(c.text)
					hs.keys("enter")
				}
				got := hs.screen()
				lines := strings.Split(got, "\n")
				if len(lines) != s.h {
					t.Errorf("screen has %d lines, want %d", len(lines), s.h)
				}
				for i, l := range lines {
					if w := visibleWidth(l); w > s.w {
						t.Errorf("line %d is %d cells wide, more than %d: %q", i, w, s.w, l)
					}
				}
				checkGolden(t, name, got)
			})
		}
	}
}
