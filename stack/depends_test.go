package stack

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/moby/moby/client"
)

const dependsStack = `
services:
  migrate:
    image: local/busybox
    command: ["sh", "-c", "sleep 1; echo migrated; %s"]
  cache:
    image: local/busybox
    init: true
    command: ["sh", "-c", "sleep 1; touch /tmp/ready; exec sleep 1d"]
    healthcheck:
      test: ["CMD", "test", "-f", "/tmp/ready"]
      interval: 300ms
      retries: 20
  app:
    image: local/busybox
    init: true
    command: ["sleep", "1d"]
    depends_on:
      migrate:
        condition: service_completed_successfully
      cache:
        condition: service_healthy
        restart: true
`

func TestUpWaitsForCompletedAndHealthyDependencies(t *testing.T) {
	s := newTestStack(t, "deps")
	requireFixture(t, s.e, "local/busybox")
	ctx := context.Background()
	if err := s.e.Up(ctx, s.load(strings.Replace(dependsStack, "%s", "exit 0", 1)), UpOptions{}); err != nil {
		t.Fatalf("up: %v", err)
	}
	byService := map[string]Container{}
	for _, c := range s.ps() {
		byService[c.Service] = c
	}
	app, migrate, cache := byService["app"], byService["migrate"], byService["cache"]
	if app.State != StateRunning || cache.Health != HealthHealthy {
		t.Fatalf("got app %s and cache %q, want running and healthy", app.State, cache.Health)
	}
	if migrate.State != StateExited || migrate.ExitCode != 0 {
		t.Fatalf("got migrate %s (exit %d), want exited 0", migrate.State, migrate.ExitCode)
	}
	if !app.StartedAt.After(migrate.FinishedAt) {
		t.Errorf("app started at %s, before migrate finished at %s", app.StartedAt, migrate.FinishedAt)
	}
	healthyAt := firstHealthy(t, s.e, cache.ID)
	if !app.StartedAt.After(healthyAt) {
		t.Errorf("app started at %s, before cache was healthy at %s", app.StartedAt, healthyAt)
	}
}

// firstHealthy is when the first passing health check of a container ended.
func firstHealthy(t *testing.T, e *Engine, id string) time.Time {
	t.Helper()
	res, err := e.api.ContainerInspect(context.Background(), id, client.ContainerInspectOptions{})
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range res.Container.State.Health.Log {
		if r.ExitCode == 0 {
			return r.End
		}
	}
	t.Fatalf("no passing health check recorded")
	return time.Time{}
}

func TestUpFailsNamingTheFailedDependencyWithItsLogs(t *testing.T) {
	s := newTestStack(t, "depfail")
	requireFixture(t, s.e, "local/busybox")
	ctx := context.Background()
	p := s.load(strings.Replace(dependsStack, "%s", "echo schema broken >&2; exit 3", 1))
	err := s.e.Up(ctx, p, UpOptions{Timeout: time.Minute})
	var se *ServiceError
	if !errors.As(err, &se) {
		t.Fatalf("got %v, want a ServiceError", err)
	}
	if se.Service != "migrate" || !strings.Contains(se.Reason, "exited with code 3") {
		t.Errorf("got service %q reason %q, want migrate exited with code 3", se.Service, se.Reason)
	}
	if !strings.Contains(strings.Join(se.Logs, "\n"), "schema broken") {
		t.Errorf("got logs %q, want the line migrate wrote", se.Logs)
	}
	t.Logf("up error:\n%v", err)
	if msg := err.Error(); !strings.Contains(msg, "up app") || !strings.Contains(msg, "schema broken") {
		t.Errorf("error %q does not name app and show migrate's log", msg)
	}
	for _, c := range s.ps() {
		switch c.Service {
		case "app":
			if c.State == StateRunning {
				t.Error("app started although migrate failed")
			}
		case "cache":
			if c.State != StateRunning {
				t.Errorf("cache: got %s, want it left running", c.State)
			}
		}
	}
}

func TestUpFailsWhenADependencyBecomesUnhealthy(t *testing.T) {
	s := newTestStack(t, "unhealthy")
	requireFixture(t, s.e, "local/busybox")
	p := s.load(`
services:
  db:
    image: local/busybox
    init: true
    command: ["sh", "-c", "echo db will never be ready; exec sleep 1d"]
    healthcheck:
      test: ["CMD", "false"]
      interval: 200ms
      retries: 2
  app:
    image: local/busybox
    command: ["sleep", "1d"]
    depends_on:
      db:
        condition: service_healthy
`)
	err := s.e.Up(context.Background(), p, UpOptions{Timeout: time.Minute})
	var se *ServiceError
	if !errors.As(err, &se) || se.Service != "db" || !strings.Contains(se.Reason, "unhealthy") {
		t.Fatalf("got %v, want db reported unhealthy", err)
	}
	if !strings.Contains(strings.Join(se.Logs, "\n"), "never be ready") {
		t.Errorf("got logs %q, want db's output", se.Logs)
	}
}
