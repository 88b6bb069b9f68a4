package stack

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/moby/moby/client"
)

// BenchmarkBuildAppDB measures the example app's multi-stage Dockerfile
// (examples/appdb/app): a cold build of the test target and a rebuild of
// it after a one-line source change, with devstack on the engine's
// BuildKit, devstack's classic fallback, and `docker compose build`
// (Compose v5.6.0 with the buildx plugin, both built from their modules).
//
//	go test ./stack -run XXX -bench BuildAppDB -benchtime 1x
func BenchmarkBuildAppDB(b *testing.B) {
	composeBin, buildxDir := benchPeers(b)
	for range b.N {
		rows := map[string][2]time.Duration{}
		for _, builder := range []string{"devstack buildkit", "devstack classic", "compose+buildx"} {
			cold, rebuild := benchAppDBBuilder(b, builder, composeBin, buildxDir)
			rows[builder] = [2]time.Duration{cold, rebuild}
			b.ReportMetric(cold.Seconds(), "s-cold-"+strings.ReplaceAll(builder, " ", "-"))
			b.ReportMetric(rebuild.Seconds(), "s-rebuild-"+strings.ReplaceAll(builder, " ", "-"))
		}
		fmt.Printf("%-18s %8s %12s\n", "builder", "cold", "rebuild test")
		for _, k := range []string{"devstack buildkit", "devstack classic", "compose+buildx"} {
			fmt.Printf("%-18s %7.1fs %11.1fs\n", k, rows[k][0].Seconds(), rows[k][1].Seconds())
		}
		bk, cl, co := rows["devstack buildkit"][1], rows["devstack classic"][1], rows["compose+buildx"][1]
		fmt.Printf("rebuild: devstack/compose %.2fx (budget <= 1.05), classic/devstack %.1fx (budget >= 2)\n",
			bk.Seconds()/co.Seconds(), cl.Seconds()/bk.Seconds())
	}
}

// benchPeers finds Compose and the buildx plugin (scripts/compose.sh and
// scripts/buildx.sh build them once).
func benchPeers(b *testing.B) (string, string) {
	compose, err := exec.Command("bash", "../scripts/compose.sh").Output()
	if err != nil {
		b.Fatalf("bash scripts/compose.sh: %v", err)
	}
	buildx, err := exec.Command("bash", "../scripts/buildx.sh").Output()
	if err != nil {
		b.Fatalf("bash scripts/buildx.sh: %v", err)
	}
	return strings.TrimSpace(string(compose)), strings.TrimSpace(string(buildx))
}

// benchAppDBBuilder copies the app into a project of its own that targets
// the test stage, builds it cold (no cache), changes one line of source
// and builds again; it returns both times and removes the image.
func benchAppDBBuilder(b *testing.B, builder, composeBin, buildxDir string) (cold, rebuild time.Duration) {
	dir := b.TempDir()
	if err := os.CopyFS(filepath.Join(dir, "app"), os.DirFS("../examples/appdb/app")); err != nil {
		b.Fatal(err)
	}
	compose := "services:\n  app:\n    build:\n      context: ./app\n      target: test\n      args:\n        BASE_IMAGE: local/busybox\n"
	if err := os.WriteFile(filepath.Join(dir, "compose.yaml"), []byte(compose), 0o644); err != nil {
		b.Fatal(err)
	}
	name := buildTestProjectName("bench")
	build := func(noCache bool) time.Duration {
		start := time.Now()
		var err error
		if builder == "compose+buildx" {
			err = composeBuild(dir, name, composeBin, buildxDir, noCache)
		} else {
			err = devstackBuild(dir, name, builder == "devstack classic", noCache)
		}
		if err != nil {
			b.Fatalf("%s: %v", builder, err)
		}
		return time.Since(start)
	}
	defer benchRemove(name)
	cold = build(true)
	src := filepath.Join(dir, "app", "src", "greet.sh")
	text, err := os.ReadFile(src)
	if err != nil {
		b.Fatal(err)
	}
	// One line more: a comment, so the tests still pass.
	if err := os.WriteFile(src, append(text, []byte("# changed by "+name+"\n")...), 0o644); err != nil {
		b.Fatal(err)
	}
	return cold, build(false)
}

func devstackBuild(dir, name string, classic, noCache bool) error {
	if classic {
		os.Setenv("DOCKER_BUILDKIT", "0")
		defer os.Unsetenv("DOCKER_BUILDKIT")
	}
	ctx := context.Background()
	e, err := Connect(ctx, ConnectOptions{})
	if err != nil {
		return err
	}
	defer e.Close()
	p, err := Load(ctx, LoadOptions{WorkingDir: dir, Files: []string{filepath.Join(dir, "compose.yaml")}, ProjectName: name})
	if err != nil {
		return err
	}
	return e.Build(ctx, p, BuildOptions{NoCache: noCache})
}

func composeBuild(dir, name, composeBin, buildxDir string, noCache bool) error {
	cfg, err := os.MkdirTemp("", "devstack-bench-docker-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(cfg)
	os.MkdirAll(filepath.Join(cfg, "cli-plugins"), 0o755)
	os.Symlink(composeBin, filepath.Join(cfg, "cli-plugins", "docker-compose"))
	os.Symlink(filepath.Join(buildxDir, "docker-buildx"), filepath.Join(cfg, "cli-plugins", "docker-buildx"))
	args := []string{"compose", "-p", name, "build"}
	if noCache {
		args = append(args, "--no-cache")
	}
	cmd := exec.Command("docker", args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "DOCKER_CONFIG="+cfg)
	if out, err := cmd.CombinedOutput(); err != nil {
		return fmt.Errorf("docker compose build: %v\n%s", err, out)
	}
	return nil
}

// benchRemove removes the project's image and the images its rebuild left
// dangling.
func benchRemove(project string) {
	ctx := context.Background()
	e, err := Connect(ctx, ConnectOptions{})
	if err != nil {
		return
	}
	defer e.Close()
	e.api.ImageRemove(ctx, project+"-app", client.ImageRemoveOptions{})
	e.PruneImages(ctx, project, PruneOptions{})
}
