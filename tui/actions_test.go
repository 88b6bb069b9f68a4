package tui

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/devstack/devstack/stack"
)

func hasCall(f *fakeBackend, call string) bool { return slices.Contains(f.Calls(), call) }

func TestLifecycleActions(t *testing.T) {
	hs, f := tableScreen(t)
	hs.keys("j", "j") // web#1
	for _, c := range []struct{ key, call string }{
		{"r", "restart web"}, {"x", "stop web"}, {"R", "recreate web"},
	} {
		hs.keys(c.key)
		if !hasCall(f, c.call) {
			t.Errorf("%s did not call %q: %v", c.key, c.call, f.Calls())
		}
	}
	hs.contains("recreate web: done in")
	hs.keys("u")
	hs.contains("start: web is already running")
	hs.keys("j", "j") // worker, exited
	hs.keys("u")
	if !hasCall(f, "start worker") {
		t.Errorf("u on a stopped service did not start it: %v", f.Calls())
	}
	hs.keys("s")
	hs.contains("shell: worker is not running")
	hs.keys("g") // cache, not created
	hs.keys("r")
	hs.contains("restart: cache has no container (not created)")
	hs.keys("G") // debug, profile
	hs.keys("R")
	hs.contains("debug is not an active service")
}

func TestRecreateWithBrokenComposeFile(t *testing.T) {
	hs, f := tableScreen(t)
	f.reloadErr = errors.New("compose.yaml:7: services.web.ports: invalid port")
	hs.keys("j", "j", "R")
	if hasCall(f, "recreate web") {
		t.Error("recreated from a compose file that does not load")
	}
	hs.contains("recreate web failed: compose.yaml:7")
	hs.keys("ctrl+r")
	hs.contains("compose file: compose.yaml:7: services.web.ports: invalid port (showing the last good")
	f.reloadErr = nil
	hs.keys("ctrl+r")
	if strings.Contains(hs.screen(), "compose file:") {
		t.Error("the reload error stayed after a good reload")
	}
}

func TestRebuildPickerAndBuild(t *testing.T) {
	hs, f := tableScreen(t)
	f.buildOut = []stack.Progress{
		{Kind: stack.ProgressOutput, Text: "Step 1/4 : FROM node:22 AS deps", Step: 1, Total: 4},
		{Kind: stack.ProgressOutput, Text: "Step 2/4 : RUN npm ci", Step: 2, Total: 4},
		{Kind: stack.ProgressOutput, Text: "added 312 packages"},
	}
	f.imageSize = 190 << 20
	hs.keys("j", "j", "b")
	if hs.m.bottom != bottomPicker {
		t.Fatalf("b did not open the stage picker; status %q", hs.m.status)
	}
	if got := hs.m.picker.target(); got != "dev" {
		t.Errorf("picker preselects %q, want the configured target dev", got)
	}
	hs.contains("(configured target)")
	hs.keys("j")
	if got := hs.m.picker.target(); got != "build" {
		t.Errorf("j moved to %q", got)
	}
	hs.keys("enter")
	for _, call := range []string{"build web target=build", "recreate web", "image shop-web"} {
		if !hasCall(f, call) {
			t.Errorf("rebuild did not call %q: %v", call, f.Calls())
		}
	}
	if hasCall(f, "recreate db") || hasCall(f, "recreate worker") {
		t.Error("rebuild recreated other services")
	}
	hs.contains("added 312 packages")
	hs.contains("step 2/4")
	hs.contains("rebuilt web (build) and recreated it in 0.0s · image 190MiB")
	if strings.Count(hs.screen(), "recreated it in") != 1 || strings.Contains(hs.screen(), "rebuilding web…") {
		t.Errorf("the rebuild's result should be on screen once, and the progress status gone:\n%s", hs.screen())
	}
}

func TestRebuildPickerDefaultsAndCancel(t *testing.T) {
	var p stagePicker
	stages := []stack.BuildStage{{Index: 0, Name: "base"}, {Index: 1, Name: "debug"}, {Index: 2}}
	p.open("app", stages, "")
	if p.cursor != 2 || p.target() != "" {
		t.Errorf("without a configured target the cursor is on %d (target %q), want the last stage and a plain build", p.cursor, p.target())
	}
	p.open("app", stages, "debug")
	if p.target() != "debug" {
		t.Errorf("configured target not preselected: %q", p.target())
	}
	p.move(-5)
	if p.target() != "base" {
		t.Errorf("move clamps to the first stage: %q", p.target())
	}

	hs, f := tableScreen(t)
	hs.keys("j", "j", "b", "esc")
	if hs.m.bottom != bottomLogs || hasCall(f, "build web target=dev") {
		t.Error("esc in the picker did not cancel")
	}
	hs.keys("k", "b")
	hs.contains("rebuild: db has no build section (image local/mariadb:test)")
}

func TestRebuildFailureShown(t *testing.T) {
	hs, f := tableScreen(t)
	f.buildErr = errors.New("build web: dockerfile needs BuildKit")
	hs.keys("j", "j", "b", "enter")
	hs.contains("rebuild of web failed")
	if hasCall(f, "recreate web") {
		t.Error("recreated after a failed build")
	}
}

func TestDownNeedsConfirmation(t *testing.T) {
	hs, f := tableScreen(t)
	hs.keys("D")
	hs.contains(`Down the stack "shop"?`)
	hs.keys("n")
	if hasCall(f, "down volumes=false") {
		t.Fatal("n downed the stack")
	}
	hs.keys("D", "y")
	if !hasCall(f, "down volumes=false") {
		t.Errorf("D y did not down the stack: %v", f.Calls())
	}
}

func TestDownVolumesNeedsSecondConfirmation(t *testing.T) {
	hs, f := tableScreen(t)
	hs.keys("D", "v")
	hs.contains("Delete these volumes for good?")
	hs.contains("shop-data")
	hs.keys("esc")
	if len(f.Calls()) > 0 && (hasCall(f, "down volumes=true") || hasCall(f, "down volumes=false")) {
		t.Fatal("cancelling the volume confirmation downed the stack")
	}
	hs.keys("D", "v", "n")
	if hasCall(f, "down volumes=true") {
		t.Fatal("n at the second step deleted volumes")
	}
	hs.keys("D", "v", "y")
	if !hasCall(f, "down volumes=true") {
		t.Errorf("D v y did not down with volumes: %v", f.Calls())
	}
}

func TestOpenPort(t *testing.T) {
	f, opts := shopModel(t, Options{})
	var opened []string
	opts.OpenURL = func(u string) error { opened = append(opened, u); return nil }
	hs := newHarness(t, newModel(context.Background(), f, opts), 120, 40)
	hs.keys("j", "j", "j", "o")
	if len(opened) != 1 || opened[0] != "http://localhost:8081" {
		t.Errorf("opened %v, want web#2's port", opened)
	}
	hs.keys("g", "o")
	hs.contains("open: cache publishes no TCP port")
}

func TestPortURL(t *testing.T) {
	cases := []struct {
		ports []stack.Port
		want  string
	}{
		{nil, ""},
		{[]stack.Port{{ContainerPort: 80}}, ""},
		{[]stack.Port{{HostPort: 53, ContainerPort: 53, Protocol: "udp"}, {HostPort: 8080, ContainerPort: 80, Protocol: "tcp"}}, "http://localhost:8080"},
		{[]stack.Port{{HostIP: "127.0.0.1", HostPort: 5000, ContainerPort: 5000}}, "http://127.0.0.1:5000"},
		{[]stack.Port{{HostIP: "::1", HostPort: 5000, ContainerPort: 5000}}, "http://[::1]:5000"},
	}
	for _, c := range cases {
		if got := portURL(row{c: stack.Container{Ports: c.ports}}); got != c.want {
			t.Errorf("portURL(%v) = %q, want %q", c.ports, got, c.want)
		}
	}
}

func TestBusyServiceShownAndGuarded(t *testing.T) {
	hs, f := tableScreen(t)
	hs.keys("j", "j")
	hs.m.busy["web"] = "restart"
	hs.m.refreshRows()
	hs.contains("restart…")
	hs.keys("x")
	hs.contains("stop: web is busy: restart")
	if hasCall(f, "stop web") {
		t.Error("an action ran on a busy service")
	}
	hs.send(actionDoneMsg{verb: "restart", service: "web"})
	if strings.Contains(hs.screen(), "restart…") {
		t.Error("the busy mark stayed after the action ended")
	}
}

func TestShellExitCodeStaysAfterNextKey(t *testing.T) {
	f, opts := shopModel(t, Options{})
	now := t0
	opts.Now = func() time.Time { return now }
	hs := newHarness(t, newModel(context.Background(), f, opts), 100, 30)
	hs.send(execDoneMsg{service: "web", code: 3})
	hs.keys("j")
	hs.contains("shell in web exited with code 3")
	now = now.Add(statusTTL + time.Second)
	hs.send(tickMsg(now)) // the screen reads the clock in Update, not in View
	if strings.Contains(hs.screen(), "exited with code 3") {
		t.Error("the status never goes away")
	}
}
