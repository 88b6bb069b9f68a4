package stack

import (
	"context"
	"strings"
	"testing"
	"time"

	cerrdefs "github.com/containerd/errdefs"
	"github.com/moby/moby/client"
)

const volumeStack = `
services:
  db:
    image: local/busybox
    init: true
    command: ["sleep", "1d"]
    volumes:
      - data:/data
  app:
    image: local/busybox
    init: true
    command: ["sleep", "1d"]
    depends_on: [db]
volumes:
  data: {}
`

func TestDownKeepsNamedVolumesUnlessAsked(t *testing.T) {
	s := newTestStack(t, "down")
	requireFixture(t, s.e, "local/busybox")
	ctx := context.Background()
	p := s.load(volumeStack)
	if err := s.e.Up(ctx, p, UpOptions{}); err != nil {
		t.Fatalf("up: %v", err)
	}
	volume := s.Name + "_data"
	var log stepLog
	if err := s.e.Down(ctx, s.Name, p, DownOptions{Progress: log.fn()}); err != nil {
		t.Fatalf("down: %v", err)
	}
	if cs := s.ps(); len(cs) != 0 {
		t.Errorf("down left %d containers", len(cs))
	}
	if id, err := s.e.findNetwork(ctx, s.Name+"_default"); err != nil || id != "" {
		t.Errorf("down left the network (id %q, err %v)", id, err)
	}
	if _, err := s.e.api.VolumeInspect(ctx, volume, client.VolumeInspectOptions{}); err != nil {
		t.Errorf("down without volumes removed volume %s: %v", volume, err)
	}
	if first := firstRemoved(&log); first != s.Name+"-app-1" {
		t.Errorf("first container removed was %q, want the dependent app", first)
	}

	if err := s.e.Up(ctx, p, UpOptions{}); err != nil {
		t.Fatalf("up again: %v", err)
	}
	// no compose file: down works from the labels alone
	if err := s.e.Down(ctx, s.Name, nil, DownOptions{Volumes: true}); err != nil {
		t.Fatalf("down -v: %v", err)
	}
	if _, err := s.e.api.VolumeInspect(ctx, volume, client.VolumeInspectOptions{}); !cerrdefs.IsNotFound(err) {
		t.Errorf("down -v kept volume %s (err %v)", volume, err)
	}
	if cs := s.ps(); len(cs) != 0 {
		t.Errorf("down -v left %d containers", len(cs))
	}
}

func firstRemoved(l *stepLog) string {
	l.mu.Lock()
	defer l.mu.Unlock()
	for _, p := range l.steps {
		if p.Kind == ProgressRemoved && p.Service != "" {
			return p.Subject
		}
	}
	return ""
}

func TestProjectsListsTheProject(t *testing.T) {
	s := newTestStack(t, "projects")
	requireFixture(t, s.e, "local/busybox")
	if err := s.e.Up(context.Background(), s.load(twoServices), UpOptions{}); err != nil {
		t.Fatalf("up: %v", err)
	}
	names, err := s.e.Projects(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, n := range names {
		found = found || n == s.Name
	}
	if !found {
		t.Errorf("got projects %v, want %s among them", names, s.Name)
	}
}

func TestStopStartRestart(t *testing.T) {
	s := newTestStack(t, "life")
	requireFixture(t, s.e, "local/busybox")
	ctx := context.Background()
	p := s.load(volumeStack)
	if err := s.e.Start(ctx, p, LifecycleOptions{}); err == nil {
		t.Error("start before up: got no error, want ErrNotCreated")
	}
	if err := s.e.Up(ctx, p, UpOptions{}); err != nil {
		t.Fatalf("up: %v", err)
	}
	if err := s.e.Stop(ctx, p, LifecycleOptions{Services: []string{"app"}}); err != nil {
		t.Fatalf("stop: %v", err)
	}
	states := func() map[string]State {
		out := map[string]State{}
		for _, c := range s.ps() {
			out[c.Service] = c.State
		}
		return out
	}
	if st := states(); st["app"] != StateExited || st["db"] != StateRunning {
		t.Errorf("after stop app: got %v, want app exited and db running", st)
	}
	if running, err := s.e.Ps(ctx, s.Name, PsOptions{}); err != nil || len(running) != 1 || running[0].Service != "db" {
		t.Errorf("ps without All: got %+v (err %v), want only the running db", running, err)
	}
	if apps, err := s.e.Ps(ctx, s.Name, PsOptions{All: true, Services: []string{"app"}}); err != nil || len(apps) != 1 || apps[0].Service != "app" {
		t.Errorf("ps -a app: got %+v (err %v), want the stopped app", apps, err)
	}
	if err := s.e.Start(ctx, p, LifecycleOptions{}); err != nil {
		t.Fatalf("start: %v", err)
	}
	before := s.ps()
	if st := states(); st["app"] != StateRunning {
		t.Errorf("after start: got %v, want app running", st)
	}
	if err := s.e.Restart(ctx, p, LifecycleOptions{Services: []string{"db"}}); err != nil {
		t.Fatalf("restart: %v", err)
	}
	for _, c := range s.ps() {
		for _, b := range before {
			if c.ID == b.ID && c.Service == "db" && !c.StartedAt.After(b.StartedAt) {
				t.Errorf("db was not restarted: started at %s, before at %s", c.StartedAt, b.StartedAt)
			}
		}
	}
}

func TestUpNeverRecreatesAChangedVolume(t *testing.T) {
	s := newTestStack(t, "voldrift")
	requireFixture(t, s.e, "local/busybox")
	ctx := context.Background()
	if err := s.e.Up(ctx, s.load(volumeStack), UpOptions{}); err != nil {
		t.Fatalf("up: %v", err)
	}
	if out, code := s.exec("db", "sh", "-c", "echo precious > /data/file"); code != 0 {
		t.Fatalf("write: %s", out)
	}
	changed := strings.Replace(volumeStack, "  data: {}", "  data:\n    labels:\n      purpose: changed", 1)
	var log stepLog
	if err := s.e.Up(ctx, s.load(changed), UpOptions{Progress: log.fn()}); err != nil {
		t.Fatalf("up with a changed volume: %v", err)
	}
	if log.count(ProgressWarning, "") != 1 {
		t.Errorf("got %d warnings, want one about the changed volume: %+v", log.count(ProgressWarning, ""), log.steps)
	}
	if out, _ := s.exec("db", "cat", "/data/file"); strings.TrimSpace(out) != "precious" {
		t.Errorf("the volume's data is gone: %q", out)
	}
}

func TestUpRequiresExternalResources(t *testing.T) {
	s := newTestStack(t, "external")
	requireFixture(t, s.e, "local/busybox")
	for _, tc := range []struct{ compose, want string }{
		{"services:\n  a:\n    image: local/busybox\n    networks: [ext]\nnetworks:\n  ext:\n    external: true\n    name: " + s.Name + "-nonet\n",
			"network " + s.Name + "-nonet is declared as external, but could not be found"},
		{"services:\n  a:\n    image: local/busybox\n    volumes: [ext:/x]\nvolumes:\n  ext:\n    external: true\n    name: " + s.Name + "-novol\n",
			"volume " + s.Name + "-novol is declared as external, but could not be found"},
	} {
		err := s.e.Up(context.Background(), s.load(tc.compose), UpOptions{})
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("got %v, want %q", err, tc.want)
		}
	}
}

// TestDownSaysWhatItWaitsFor: a process that ignores SIGTERM (sleep as
// PID 1 without init) holds down for its whole grace period; the progress
// line says so before the wait, with the service's own signal and period.
func TestDownSaysWhatItWaitsFor(t *testing.T) {
	s := newTestStack(t, "downwait")
	requireFixture(t, s.e, "local/busybox")
	ctx := context.Background()
	p := s.load(`
services:
  stubborn:
    image: local/busybox
    command: ["sleep", "1d"]
    stop_grace_period: 2s
  quitter:
    image: local/busybox
    command: ["sleep", "1d"]
    stop_signal: SIGUSR1
    stop_grace_period: 1s
`)
	if err := s.e.Up(ctx, p, UpOptions{}); err != nil {
		t.Fatalf("up: %v", err)
	}
	var log progressLog
	if err := s.e.Down(ctx, s.Name, p, DownOptions{Progress: log.report}); err != nil {
		t.Fatalf("down: %v", err)
	}
	want := map[string]string{
		s.Name + "-stubborn-1": "waiting up to 2s for it to exit after SIGTERM, then SIGKILL",
		s.Name + "-quitter-1":  "waiting up to 1s for it to exit after SIGUSR1, then SIGKILL",
	}
	for _, p := range log.items {
		if p.Kind != ProgressStopping {
			continue
		}
		if p.Text != want[p.Subject] {
			t.Errorf("%s: stopping text %q, want %q", p.Subject, p.Text, want[p.Subject])
		}
		delete(want, p.Subject)
	}
	for name := range want {
		t.Errorf("%s: no stopping line", name)
	}

	// -t overrides the period.
	if err := s.e.Up(ctx, p, UpOptions{}); err != nil {
		t.Fatalf("up again: %v", err)
	}
	zero := time.Duration(0)
	log = progressLog{}
	if err := s.e.Down(ctx, s.Name, p, DownOptions{Timeout: &zero, Progress: log.report}); err != nil {
		t.Fatalf("down -t 0: %v", err)
	}
	if got := log.texts(ProgressStopping); len(got) != 2 || got[0] != "sending SIGKILL (no grace period)" {
		t.Errorf("down -t 0: stopping texts %q", got)
	}
}

func TestStopWaitText(t *testing.T) {
	cases := []struct {
		signal string
		grace  time.Duration
		want   string
	}{
		{"SIGTERM", 10 * time.Second, "waiting up to 10s for it to exit after SIGTERM, then SIGKILL"},
		{"QUIT", 90 * time.Second, "waiting up to 1m30s for it to exit after SIGQUIT, then SIGKILL"},
		{"15", time.Second, "waiting up to 1s for it to exit after 15, then SIGKILL"},
		{"SIGTERM", 0, "sending SIGKILL (no grace period)"},
	}
	for _, c := range cases {
		if got := stopWaitText(c.signal, c.grace); got != c.want {
			t.Errorf("%s %s: got %q, want %q", c.signal, c.grace, got, c.want)
		}
	}
}
