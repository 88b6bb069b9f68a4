package stack

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"time"

	"github.com/moby/moby/api/pkg/stdcopy"
	"github.com/moby/moby/client"
)

// appDBStack is the seeds' development stack with the fixture images: an
// app serving a bind-mounted code folder, MariaDB with its data in a named
// volume, its socket on a sized tmpfs, memory limits, an env_file and a
// healthcheck-gated dependency.
const appDBStack = `
services:
  app:
    image: local/busybox
    init: true
    command: ["httpd", "-f", "-p", "80", "-h", "/var/www"]
    volumes:
      - ./code:/var/www
    mem_limit: 64m
    depends_on:
      db:
        condition: service_healthy
  db:
    image: local/mariadb:test
    env_file: db.env
    volumes:
      - dbdata:/var/lib/mysql
      - type: tmpfs
        target: /run/mysqld
        tmpfs:
          size: 16777216
    mem_limit: 512m
    healthcheck:
      test: ["CMD", "sh", "-c", "test -S /run/mysqld/mysqld.sock"]
      interval: 1s
      timeout: 2s
      retries: 60
volumes:
  dbdata: {}
`

func TestAppWithMariaDBKeepsDataAcrossDownUntilVolumesRemoved(t *testing.T) {
	s := newTestStack(t, "appdb")
	requireFixture(t, s.e, "local/busybox")
	requireFixture(t, s.e, "local/mariadb:test")
	ctx := context.Background()
	s.write("db.env", "MARIADB_ROOT_PASSWORD=devroot\nMARIADB_DATABASE=app\n")
	s.write("code/index.html", "hello\n")
	p := s.load(appDBStack)
	up := func() {
		t.Helper()
		if err := s.e.Up(ctx, p, UpOptions{Timeout: 2 * time.Minute}); err != nil {
			t.Fatalf("up: %v", err)
		}
	}
	up()
	db := s.container("db")
	if db.Health != HealthHealthy || s.container("app").State != StateRunning {
		t.Fatalf("got db %q and app %s, want healthy and running", db.Health, s.container("app").State)
	}
	s.sql("db", "CREATE TABLE notes (body TEXT); INSERT INTO notes VALUES ('kept');")
	if err := s.e.Down(ctx, s.Name, p, DownOptions{}); err != nil {
		t.Fatalf("down: %v", err)
	}
	up()
	if got := s.sql("db", "SELECT body FROM notes;"); got != "kept" {
		t.Errorf("after down and up: got %q, want the row written before", got)
	}
	if err := s.e.Down(ctx, s.Name, p, DownOptions{Volumes: true}); err != nil {
		t.Fatalf("down -v: %v", err)
	}
	up()
	if got := s.sql("db", "SELECT COUNT(*) FROM information_schema.tables WHERE table_schema='app' AND table_name='notes';"); got != "0" {
		t.Errorf("after down -v and up: got %q tables named notes, want 0", got)
	}
}

// container returns the project's first container of a service.
func (s *testStack) container(service string) Container {
	s.t.Helper()
	for _, c := range s.ps() {
		if c.Service == service {
			return c
		}
	}
	s.t.Fatalf("service %s has no container", service)
	return Container{}
}

// sql runs statements in the app database of a service's MariaDB container
// through the engine's exec API and returns the output, trimmed.
func (s *testStack) sql(service, statements string) string {
	s.t.Helper()
	out, code := s.exec(service, "mariadb", "-uroot", "-pdevroot", "-N", "-B", "app", "-e", statements)
	if code != 0 {
		s.t.Fatalf("sql %q: exit %d: %s", statements, code, out)
	}
	return strings.TrimSpace(out)
}

// exec runs a command in a service's container and returns its output and
// exit code.
func (s *testStack) exec(service string, cmd ...string) (string, int) {
	s.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	c := s.container(service)
	created, err := s.e.api.ExecCreate(ctx, c.ID, client.ExecCreateOptions{Cmd: cmd, AttachStdout: true, AttachStderr: true})
	if err != nil {
		s.t.Fatalf("exec %v: %v", cmd, err)
	}
	att, err := s.e.api.ExecAttach(ctx, created.ID, client.ExecAttachOptions{})
	if err != nil {
		s.t.Fatalf("exec %v: %v", cmd, err)
	}
	defer att.Close()
	var out bytes.Buffer
	if _, err := stdcopy.StdCopy(&out, &out, att.Reader); err != nil {
		s.t.Fatalf("exec %v: read output: %v", cmd, err)
	}
	res, err := s.e.api.ExecInspect(ctx, created.ID, client.ExecInspectOptions{})
	if err != nil {
		s.t.Fatalf("exec %v: %v", cmd, err)
	}
	return out.String(), res.ExitCode
}
