package templates

import (
	"context"
	"io"
	"net/http"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/devstack/devstack/stack"
)

// TestPHPMariaDBUp brings the php-mariadb template up on the real engine
// with stack.Up (fixture images in place of php and mariadb), then checks
// that the database was seeded from db/init, that the app's credentials
// from .env reach it through db.env, and that the app answers on its
// published port with the bind-mounted code.
func TestPHPMariaDBUp(t *testing.T) {
	requireImages(t, "local/busybox", "local/mariadb:test")
	ctx, cancel := context.WithTimeout(context.Background(), 4*time.Minute)
	defer cancel()
	dir := filepath.Join(t.TempDir(), "shop")
	initBuiltin(t, "php-mariadb", dir, map[string]string{"HTTP_PORT": "0", "DB_PASSWORD": "app-pw-123", "DB_ROOT_PASSWORD": "root-pw-456"})
	// busybox httpd stands in for Apache: it serves the bind-mounted code.
	writeFiles(t, dir, map[string]string{"compose.test.yaml": `services:
  app:
    build:
      args: {BASE_IMAGE: local/busybox, PHP_EXTENSIONS: ""}
    command: ["httpd", "-f", "-p", "80", "-h", "/var/www/html"]
  db:
    image: local/mariadb:test
`})
	project := "dstest-tplup-" + randomSuffix(t)
	p, err := stack.Load(ctx, stack.LoadOptions{
		WorkingDir:  dir,
		ProjectName: project,
		Files:       []string{filepath.Join(dir, "compose.yaml"), filepath.Join(dir, "compose.test.yaml")},
	})
	if err != nil {
		t.Fatalf("load: %v", err)
	}
	e, err := stack.Connect(ctx, stack.ConnectOptions{})
	if err != nil {
		t.Fatalf("connect: %v", err)
	}
	t.Cleanup(func() {
		_ = e.Down(context.Background(), project, p, stack.DownOptions{Volumes: true, RemoveImages: "local"})
		_, _, _ = e.PruneImages(context.Background(), project, stack.PruneOptions{})
		e.Close()
	})
	if err := e.Up(ctx, p, stack.UpOptions{Build: true, Wait: true, Timeout: 3 * time.Minute}); err != nil {
		t.Fatalf("up: %v", err)
	}
	db := project + "-db-1"
	out, err := exec.CommandContext(ctx, "docker", "exec", db, "mariadb", "-h", "127.0.0.1", "-u", "app", "-papp-pw-123", "app",
		"-N", "-e", "SELECT body FROM notes ORDER BY id").CombinedOutput()
	if err != nil || !strings.Contains(string(out), "hello from the seed file") {
		t.Fatalf("query as the app user: %v\n%s", err, out)
	}
	port, err := exec.CommandContext(ctx, "docker", "port", project+"-app-1", "80/tcp").Output()
	if err != nil {
		t.Fatalf("docker port: %v", err)
	}
	hostPort := strings.TrimSpace(strings.Split(string(port), "\n")[0])
	hostPort = hostPort[strings.LastIndex(hostPort, ":")+1:]
	resp, err := http.Get("http://127.0.0.1:" + hostPort + "/index.php")
	if err != nil {
		t.Fatalf("GET the app: %v", err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusOK || !strings.Contains(string(body), "SELECT id, body FROM notes") {
		t.Fatalf("app answered %s:\n%s", resp.Status, body)
	}
}
