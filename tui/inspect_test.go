package tui

import (
	"strings"
	"testing"

	"github.com/devstack/devstack/stack"
)

func TestInspectLines(t *testing.T) {
	p := shopProject()
	db := p.Services[1]
	c := shopContainers()[2]
	c.Env = []string{"MARIADB_ROOT_PASSWORD=hunter2", "PATH=/usr/bin:/bin", "GOSU_VERSION=1.17"}
	r := row{key: c.ID, service: "db", state: c.State, c: c, svc: &db,
		stats: stack.Stats{CPUPercent: 45, MemoryUsage: 300 << 20}, has: true}
	got := strings.Join(inspectLines(r, t0, newHistory()), "\n")
	for _, want := range []string{
		"db  shop-db-1",
		"  state      healthy",
		"  local/mariadb:test 440MiB",
		"  mem                                ",
		"300MiB/1.0GiB 29% limit 1.0GiB",
		"  3306->3306/tcp",
		"  volume shop_db -> /var/lib/mysql  rw",
		"  tmpfs  size 16MiB -> /run/mysqld  rw",
		"  bind   /etc/localtime -> /etc/localtime  ro",
		"MARIADB_ROOT_PASSWORD=••••••",
		"env_file mysql.env",
		"GOSU_VERSION=1.17",
		"PATH=/usr/bin:/bin",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("inspect lines lack %q:\n%s", want, got)
		}
	}
	if strings.Contains(got, "hunter2") {
		t.Error("a secret value is shown")
	}
	if line := lineContaining(got, "GOSU_VERSION"); !strings.HasSuffix(strings.TrimSpace(line), "image") {
		t.Errorf("a variable only the image sets should say it comes from the image: %q", line)
	}
	if strings.Count(got, "MARIADB_ROOT_PASSWORD") != 1 {
		t.Error("a variable the service declares is listed twice")
	}
}

func lineContaining(text, sub string) string {
	for _, l := range strings.Split(text, "\n") {
		if strings.Contains(l, sub) {
			return l
		}
	}
	return ""
}

func TestInspectShowsSources(t *testing.T) {
	p := shopProject()
	web := p.Services[2]
	got := strings.Join(inspectLines(row{key: "service:web", service: "web", state: stack.StateNotCreated, svc: &web}, t0, nil), "\n")
	for _, want := range []string{
		"APP_ENV=dev", "environment", "DB_HOST=db", ".env", "API_TOKEN=••••••", "env_file .env.web", "image",
		"build /src/shop/web  dockerfile Dockerfile  target dev",
		"default  aliases web, api", "db (service_healthy)", "limit 1.50 CPUs", "8080->80/tcp",
		"tmpfs  size 64MiB -> /tmp",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("inspect of a not created service lacks %q:\n%s", want, got)
		}
	}
}

func TestInspectPaneFollowsSelectionAndScrolls(t *testing.T) {
	hs, _ := tableScreen(t)
	hs.keys("j", "j", "i")
	hs.contains("Inspect · web")
	hs.keys("k")
	hs.contains("Inspect · db")
	hs.contains("MARIADB_ROOT_PASSWORD=••••••")
	hs.send(tea_WindowSize(80, 16))
	hs.keys("tab", "j", "j", "j")
	if hs.m.inspect.offset != 3 {
		t.Errorf("j in the inspect pane scrolled to %d, want 3", hs.m.inspect.offset)
	}
	hs.keys("esc")
	if hs.m.bottom != bottomLogs {
		t.Error("esc did not close the inspect pane")
	}
	hs.keys("tab", "i", "i")
	if hs.m.bottom != bottomLogs {
		t.Error("i twice did not close the inspect pane")
	}
}
