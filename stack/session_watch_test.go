package stack

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"
)

// TestWatchProjectReloads saves the compose file invalid, then valid with
// a new service, then changes the .env file, and expects a reload for each
// (replacing a file by renaming, as editors do, counts).
func TestWatchProjectReloads(t *testing.T) {
	dir := t.TempDir()
	compose := filepath.Join(dir, "compose.yaml")
	write := func(name, body string) {
		t.Helper()
		tmp := filepath.Join(dir, "."+name+".tmp")
		if err := os.WriteFile(tmp, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
		if err := os.Rename(tmp, filepath.Join(dir, name)); err != nil {
			t.Fatal(err)
		}
	}
	write("compose.yaml", "services:\n  web:\n    image: local/busybox\n")
	load := LoadOptions{Files: []string{compose}, ProjectName: "dstest-watch"}
	p, err := Load(context.Background(), load)
	if err != nil {
		t.Fatal(err)
	}
	s := NewSession(nil, load, p)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	ch := s.WatchProject(ctx)
	next := func(what string) ProjectReload {
		t.Helper()
		select {
		case r := <-ch:
			return r
		case <-time.After(5 * time.Second):
			t.Fatalf("no reload after %s", what)
		}
		return ProjectReload{}
	}
	time.Sleep(50 * time.Millisecond) // the watch is set up in the background
	write("compose.yaml", "services:\n  web:\n    image: [\n")
	if r := next("breaking the file"); r.Err == nil {
		t.Fatalf("got a project from an invalid file, want an error")
	}
	if s.Project() != p {
		t.Errorf("a failed reload replaced the last good project")
	}
	write("compose.yaml", "services:\n  web:\n    image: local/busybox\n    environment:\n      - X=${X}\n  db:\n    image: local/busybox\n")
	r := next("fixing the file")
	if r.Err != nil || r.Project == nil || len(r.Project.Services) != 2 {
		t.Fatalf("got %+v, want the project with web and db", r)
	}
	write(".env", "X=1\n")
	if r := next("writing .env"); r.Err != nil {
		t.Fatalf("reload after .env: %v", r.Err)
	}
}
