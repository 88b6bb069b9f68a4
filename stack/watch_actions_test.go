package stack

import (
	"context"
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/moby/moby/client"
)

// TestWatchBurstIsBatched writes 2,000 files across 20 new folders at once,
// as a git checkout does, and checks they all arrive with a handful of
// engine calls: one tar per batch, not one call per file.
func TestWatchBurstIsBatched(t *testing.T) {
	e := testEngine(t)
	pe, cp := proxiedEngine(t, e)
	w := startWatchVia(t, pe, "wburst", syncCompose, map[string]string{"src/.keep": ""}, WatchOptions{})
	cp.take()
	start := time.Now()
	for d := 0; d < 20; d++ {
		for f := 0; f < 100; f++ {
			writeWatched(t, w.path(fmt.Sprintf("src/d%02d/f%03d.txt", d, f)), fmt.Sprintf("file %d/%d\n", d, f))
		}
	}
	w.eventually(t, "web", `test "$(find /app -type f | wc -l)" -eq 2000`)
	elapsed := time.Since(start)
	time.Sleep(300 * time.Millisecond) // let late batches show in the count
	hits := cp.take()
	for len(w.events) > 0 {
		if ev := <-w.events; ev.Err != nil {
			t.Fatalf("burst sync failed: %v", ev.Err)
		}
	}
	// Batches go through the sync helper's open connection (no call at
	// all) or, failing that, one tar copy each.
	t.Logf("2,000 files in %v: %d engine calls: %v", elapsed.Round(time.Millisecond), total(hits), hits)
	if total(hits) > 30 || hits["PUT /containers/ID/archive"] > 6 {
		t.Fatalf("2,000 files took %d engine calls, want a handful (≤30, ≤6 tar copies): %v", total(hits), hits)
	}
}

const replicaCompose = `services:
  web:
    build: .
    command: sleep 1d
    deploy:
      replicas: 2
    develop:
      watch:
        - path: ./src
          target: /app
          action: sync
          include: ["*.txt"]
        - path: ./Dockerfile
          action: rebuild
  other:
    image: local/busybox
    command: sleep 1d
`

// TestWatchReplicasIncludeDockerignoreRebuild checks a sync reaches both
// replicas, include and the build context's .dockerignore filter it, and a
// rebuild trigger rebuilds the image and recreates only that service.
func TestWatchReplicasIncludeDockerignoreRebuild(t *testing.T) {
	w := startWatch(t, "wrebuild", replicaCompose, map[string]string{
		"Dockerfile":    "FROM local/busybox\nRUN echo v1 > /version\n",
		".dockerignore": "src/secret*\n",
		"src/.keep":     "",
	}, WatchOptions{})
	t.Cleanup(func() {
		// The stack first (this runs before its own cleanup), then every
		// image of the project: the rebuilt one and the one it replaced,
		// left dangling.
		ctx := context.Background()
		w.stop()
		_ = w.e.Down(ctx, w.Name, w.p, DownOptions{})
		ims, err := w.e.api.ImageList(ctx, client.ImageListOptions{All: true,
			Filters: make(client.Filters).Add("label", labelProject+"="+w.Name)})
		if err != nil {
			return
		}
		for _, im := range ims.Items {
			_, _ = w.e.api.ImageRemove(ctx, im.ID, client.ImageRemoveOptions{Force: true, PruneChildren: true})
		}
	})
	writeWatched(t, w.path("src/a.txt"), "a")
	writeWatched(t, w.path("src/b.md"), "not included")
	writeWatched(t, w.path("src/secret.txt"), "dockerignored")
	ev := w.synced(t, "web")
	if ev.Err != nil || ev.Containers != 2 || ev.Files != 1 {
		t.Fatalf("got %+v, want 1 file into 2 containers", ev)
	}
	for n := 1; n <= 2; n++ {
		w.sh(t, "web", n, 0, `test "$(cat /app/a.txt)" = a && test ! -e /app/b.md && test ! -e /app/secret.txt`)
	}
	before := map[string]string{}
	for _, c := range w.ps() {
		before[c.Name] = c.ID
	}
	writeWatched(t, w.path("Dockerfile"), "FROM local/busybox\nRUN echo v2 > /version\n")
	ev = w.await(t, func(ev WatchEvent) bool { return ev.Action == WatchRebuilt })
	if ev.Err != nil || ev.Service != "web" {
		t.Fatalf("rebuild: got %+v", ev)
	}
	for _, c := range w.ps() {
		switch {
		case c.Service == "other" && before[c.Name] != c.ID:
			t.Errorf("rebuild of web recreated %s", c.Name)
		case c.Service == "web" && before[c.Name] == c.ID:
			t.Errorf("rebuild of web kept the old container %s", c.Name)
		}
	}
	for n := 1; n <= 2; n++ {
		w.sh(t, "web", n, 0, `test "$(cat /version)" = v2`)
	}
}

const actionsCompose = `services:
  web:
    image: local/busybox
    command: sh -c 'echo start >> /tmp/starts; exec sleep 1d'
    develop:
      watch:
        - path: ./conf
          target: /etc/app
          action: sync+restart
        - path: ./scripts
          target: /scripts
          action: sync+exec
          exec:
            command: ["sh", "-c", "echo ran $$STEP; cat /scripts/step > /tmp/exec-ran"]
            environment:
              STEP: two
        - path: ./seed
          target: /seed
          action: sync
          initial_sync: true
`

// TestWatchRestartExecInitialSync checks sync+restart restarts the
// container after copying, sync+exec runs its command with its environment
// in the container, and initial_sync copies existing files at start.
func TestWatchRestartExecInitialSync(t *testing.T) {
	w := startWatch(t, "wactions", actionsCompose, map[string]string{
		"conf/app.conf": "a=1", "scripts/.keep": "", "seed/data/seed.txt": "seeded", "seed/Dockerfile": "not synced",
	}, WatchOptions{})
	w.sh(t, "web", 1, 0, `test "$(cat /seed/data/seed.txt)" = seeded && test ! -e /seed/Dockerfile`)

	writeWatched(t, w.path("conf/app.conf"), "a=2")
	ev := w.await(t, func(ev WatchEvent) bool { return ev.Action == WatchRestarted })
	if ev.Err != nil {
		t.Fatalf("restart: %v", ev.Err)
	}
	w.eventually(t, "web", `test "$(cat /etc/app/app.conf)" = a=2 && test "$(wc -l < /tmp/starts)" -eq 2`)

	writeWatched(t, w.path("scripts/step"), "step-two")
	ev = w.await(t, func(ev WatchEvent) bool { return ev.Action == WatchExecuted })
	if ev.Err != nil || ev.Containers != 1 || strings.Join(ev.Output, "\n") != "ran two" {
		t.Fatalf("exec: got %+v, want output \"ran two\" from 1 container", ev)
	}
	w.sh(t, "web", 1, 0, `test "$(cat /tmp/exec-ran)" = step-two`)
}

const failCompose = `services:
  web:
    image: local/busybox
    command: sleep 1d
    volumes:
      - locked:/locked:ro
    develop:
      watch:
        - path: ./locked
          target: /locked
          action: sync
        - path: ./src
          target: /app
          action: sync
volumes:
  locked: {}
`

// TestWatchFailureAndStoppedService checks a copy the container refuses
// (a read-only mount) is an event naming the reason while watching goes
// on, and a stopped service is skipped, then synced again once it runs.
func TestWatchFailureAndStoppedService(t *testing.T) {
	w := startWatch(t, "wfail", failCompose, map[string]string{"locked/.keep": "", "src/.keep": ""}, WatchOptions{})
	writeWatched(t, w.path("locked/x"), "x")
	ev := w.synced(t, "web")
	if ev.Err == nil || !strings.Contains(ev.Err.Error(), "read-only") || !strings.Contains(ev.Err.Error(), "web") {
		t.Fatalf("got %+v, want an error naming the service and the read-only mount", ev)
	}
	t.Logf("refused copy reads: %s", ev)
	writeWatched(t, w.path("src/y"), "y")
	if ev = w.synced(t, "web"); ev.Err != nil {
		t.Fatalf("sync after a failure: %v", ev.Err)
	}
	w.sh(t, "web", 1, 0, `test "$(cat /app/y)" = y`)

	ctx := context.Background()
	if err := w.e.Stop(ctx, w.p, LifecycleOptions{Services: []string{"web"}}); err != nil {
		t.Fatal(err)
	}
	writeWatched(t, w.path("src/z"), "z")
	if ev = w.synced(t, "web"); ev.Err != nil || ev.Containers != 0 || !strings.Contains(ev.String(), "no running container") || strings.HasPrefix(ev.String(), "synced") {
		t.Fatalf("stopped service: got %+v (%s), want a skip without error", ev, ev)
	}
	if err := w.e.Start(ctx, w.p, LifecycleOptions{Services: []string{"web"}}); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(w.path("src/z"), []byte("z2"), 0o644); err != nil {
		t.Fatal(err)
	}
	if ev = w.synced(t, "web"); ev.Err != nil || ev.Containers != 1 {
		t.Fatalf("after restart: got %+v", ev)
	}
	w.sh(t, "web", 1, 0, `test "$(cat /app/z)" = z2`)
}

// TestWatchSurvivesEngineReconnect cuts the connection to the engine
// (through a proxy socket) while watching: the change made meanwhile fails
// with a reason, and the watch syncs again once the engine is back.
func TestWatchSurvivesEngineReconnect(t *testing.T) {
	e := testEngine(t)
	proxy := newSocketProxy(t, strings.TrimPrefix(e.Host, "unix://"))
	via, err := Connect(context.Background(), ConnectOptions{Host: "unix://" + proxy.path})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { via.Close() })
	w := startWatchVia(t, via, "wreconnect", syncCompose, map[string]string{"src/.keep": ""}, WatchOptions{})
	proxy.cut()
	writeWatched(t, w.path("src/during.txt"), "during")
	if ev := w.synced(t, "web"); ev.Err == nil {
		t.Fatalf("sync with the engine cut off: got %+v, want an error", ev)
	}
	proxy.resume(t)
	writeWatched(t, w.path("src/after.txt"), "after")
	if ev := w.synced(t, "web"); ev.Err != nil {
		t.Fatalf("sync after the engine came back: %v", ev.Err)
	}
	w.sh(t, "web", 1, 0, `test "$(cat /app/after.txt)" = after`)
}

// TestWatchOwnership syncs into a container whose user is not root: new
// folders and files belong to that user. (The engine's own copy cannot do
// it for a user named in the image only: Engine 20.10 looks the name up in
// the host's passwd and fails, for Compose too; devstack's sync helper
// runs as that user in the container.)
func TestWatchOwnership(t *testing.T) {
	w := startWatch(t, "wowner", `services:
  web:
    image: local/busybox
    command: sleep 1d
    user: app
    tmpfs: ["/app:uid=1000,gid=1000"]
    develop:
      watch:
        - path: ./src
          target: /app
          action: sync
`, map[string]string{"src/.keep": ""}, WatchOptions{})
	writeWatched(t, w.path("src/new/dir/f.txt"), "one")
	if ev := w.synced(t, "web"); ev.Err != nil {
		t.Fatalf("first sync: %v", ev.Err)
	}
	w.eventually(t, "web", `test "$(cat /app/new/dir/f.txt)" = one`)
	writeWatched(t, w.path("src/new/dir/g/h.txt"), "two")
	w.eventually(t, "web", `test "$(cat /app/new/dir/g/h.txt)" = two`)
	got := w.sh(t, "web", 1, 0, `stat -c %u:%g /app/new/dir /app/new/dir/f.txt /app/new/dir/g /app/new/dir/g/h.txt | tr '\n' ' '`)
	if got != "1000:1000 1000:1000 1000:1000 1000:1000 " {
		t.Fatalf("owners %q, want app (1000:1000) for every synced folder and file", got)
	}
}
