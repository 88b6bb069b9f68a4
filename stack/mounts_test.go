package stack

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"
)

func TestUpMountsTmpfsWithSizeAndCreatesBindFolders(t *testing.T) {
	s := newTestStack(t, "mounts")
	requireFixture(t, s.e, "local/busybox")
	p := s.load(`
services:
  app:
    image: local/busybox
    init: true
    command: ["sleep", "1d"]
    mem_limit: 64m
    tmpfs:
      - /scratch:size=8m
    volumes:
      - ./data/nested:/data
      - type: tmpfs
        target: /run/app
        tmpfs:
          size: 16777216
          mode: 01777
      - cache:/cache
volumes:
  cache: {}
`)
	if err := s.e.Up(context.Background(), p, UpOptions{}); err != nil {
		t.Fatalf("up: %v", err)
	}
	if fi, err := os.Stat(filepath.Join(s.Dir, "data", "nested")); err != nil || !fi.IsDir() {
		t.Errorf("bind source folder was not created: %v", err)
	}
	cs := s.ps()
	if len(cs) != 1 {
		t.Fatalf("got %d containers, want 1", len(cs))
	}
	want := map[string]Mount{
		"/scratch": {Kind: MountTmpfs, Target: "/scratch", TmpfsSize: 8 << 20},
		"/run/app": {Kind: MountTmpfs, Target: "/run/app", TmpfsSize: 16 << 20, TmpfsMode: 01777},
		"/data":    {Kind: MountBind, Source: filepath.Join(s.Dir, "data", "nested"), Target: "/data"},
		"/cache":   {Kind: MountVolume, Source: s.Name + "_cache", Target: "/cache"},
	}
	got := map[string]Mount{}
	for _, m := range cs[0].Mounts {
		got[m.Target] = m
	}
	for target, w := range want {
		if got[target] != w {
			t.Errorf("mount %s: got %+v, want %+v", target, got[target], w)
		}
	}
}

func TestPsShowsOOMKill(t *testing.T) {
	s := newTestStack(t, "oom")
	requireFixture(t, s.e, "local/busybox")
	p := s.load(`
services:
  hog:
    image: local/busybox
    mem_limit: 16m
    command: ["sh", "-c", "x=$(head -c 200m /dev/zero | tr '\\0' a); echo survived"]
`)
	if err := s.e.Up(context.Background(), p, UpOptions{}); err != nil {
		t.Fatalf("up: %v", err)
	}
	deadline := time.Now().Add(30 * time.Second)
	for {
		cs := s.ps()
		if len(cs) == 1 && cs[0].State == StateExited {
			c := cs[0]
			if !c.OOMKilled || c.ExitCode != 137 {
				t.Errorf("got OOMKilled %v exit %d, want true and 137", c.OOMKilled, c.ExitCode)
			}
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("container did not exit within 30s: %+v", cs)
		}
		time.Sleep(200 * time.Millisecond)
	}
}
