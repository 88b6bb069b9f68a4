package tui

import (
	"fmt"
	"time"

	"github.com/devstack/devstack/stack"
)

// t0 is the injected clock of every screen test.
var t0 = time.Date(2026, 1, 2, 10, 0, 0, 0, time.UTC)

func fixedNow() time.Time { return t0 }

// shopProject is a small stack: a scaled web service built from a
// Dockerfile, a database, a service not created yet, a crashed worker and
// a profile service.
func shopProject() *stack.Project {
	return &stack.Project{
		Name: "shop", WorkingDir: "/src/shop", ConfigFiles: []string{"/src/shop/compose.yaml"},
		Services: []stack.Service{
			{Name: "cache", Image: "local/busybox"},
			{Name: "db", Image: "local/mariadb:test", Healthcheck: true,
				Ports: []stack.Port{{HostPort: 3306, ContainerPort: 3306, Protocol: "tcp"}},
				Mounts: []stack.Mount{
					{Kind: stack.MountVolume, Source: "shop_db", Target: "/var/lib/mysql"},
					{Kind: stack.MountTmpfs, Target: "/run/mysqld", TmpfsSize: 16 << 20},
					{Kind: stack.MountBind, Source: "/etc/localtime", Target: "/etc/localtime", ReadOnly: true},
				},
				Env: []stack.EnvVar{
					{Name: "MARIADB_DATABASE", Value: "shop", Source: stack.EnvFromEnvFile, File: "mysql.env"},
					{Name: "MARIADB_ROOT_PASSWORD", Value: "hunter2", Source: stack.EnvFromEnvFile, File: "mysql.env", Secret: true},
				},
				Limits: stack.Limits{MemoryBytes: 1 << 30}},
			{Name: "web", Image: "shop-web", Scale: 2,
				Build:   &stack.BuildSpec{Context: "/src/shop/web", Dockerfile: "Dockerfile", Target: "dev"},
				Command: []string{"npm", "start"},
				Ports:   []stack.Port{{HostPort: 8080, ContainerPort: 80, Protocol: "tcp"}},
				Mounts: []stack.Mount{
					{Kind: stack.MountBind, Source: "/src/shop/web", Target: "/app"},
					{Kind: stack.MountTmpfs, Target: "/tmp", TmpfsSize: 64 << 20},
				},
				Env: []stack.EnvVar{
					{Name: "APP_ENV", Value: "dev", Source: stack.EnvFromEnvironment},
					{Name: "DB_HOST", Value: "db", Source: stack.EnvFromDotEnv},
					{Name: "API_TOKEN", Value: "s3cr3t", Source: stack.EnvFromEnvFile, File: ".env.web", Secret: true},
					{Name: "PATH", Value: "/usr/local/bin:/usr/bin", Source: stack.EnvFromImage},
				},
				Networks:  []stack.NetworkAttachment{{Network: "default", Aliases: []string{"web", "api"}}},
				DependsOn: []stack.Dependency{{Service: "db", Condition: "service_healthy"}},
				Limits:    stack.Limits{MemoryBytes: 512 << 20, CPUs: 1.5}},
			{Name: "worker", Image: "local/loadgen", Restart: "on-failure"},
		},
		Inactive: []stack.Service{{Name: "debug", Image: "local/busybox-bash", Profiles: []string{"debug"}}},
		Volumes:  []string{"db"},
	}
}

func shopContainers() []stack.Container {
	web := func(n int) stack.Container {
		return stack.Container{ID: fmt.Sprintf("web%d000000000000000000", n), Name: fmt.Sprintf("shop-web-%d", n),
			Service: "web", Number: n, State: stack.StateRunning, Health: stack.HealthHealthy,
			Created: t0.Add(-2 * time.Hour), StartedAt: t0.Add(-95 * time.Minute), Image: "shop-web", ImageSize: 187 << 20,
			Ports: []stack.Port{{HostPort: uint16(8079 + n), ContainerPort: 80, Protocol: "tcp"}}}
	}
	return []stack.Container{
		web(1), web(2),
		{ID: "db0000000000000000000000", Name: "shop-db-1", Service: "db", Number: 1, State: stack.StateRunning,
			Health: stack.HealthHealthy, Created: t0.Add(-3 * time.Hour), StartedAt: t0.Add(-3 * time.Hour),
			Image: "local/mariadb:test", ImageSize: 440 << 20,
			Ports: []stack.Port{{HostPort: 3306, ContainerPort: 3306, Protocol: "tcp"}}},
		{ID: "worker000000000000000000", Name: "shop-worker-1", Service: "worker", Number: 1, State: stack.StateExited,
			ExitCode: 137, OOMKilled: true, RestartCount: 4, Created: t0.Add(-time.Hour), FinishedAt: t0.Add(-time.Minute),
			Image: "local/loadgen", ImageSize: 2 << 20},
	}
}

func shopStats() []stack.Stats {
	return []stack.Stats{
		{ContainerID: "web1000000000000000000", Service: "web", CPUPercent: 12.5, MemoryUsage: 128 << 20, NetRxPerSec: 2048, NetTxPerSec: 512, BlockReadPerSec: 0, BlockWritePerSec: 4096},
		{ContainerID: "web2000000000000000000", Service: "web", CPUPercent: 3.2, MemoryUsage: 96 << 20, NetRxPerSec: 100, NetTxPerSec: 40},
		{ContainerID: "db0000000000000000000000", Service: "db", CPUPercent: 45, MemoryUsage: 300 << 20, BlockWritePerSec: 1 << 20},
	}
}

func shopLogs() []stack.LogLine {
	var out []stack.LogLine
	add := func(svc, text string) {
		out = append(out, stack.LogLine{Service: svc, ContainerName: "shop-" + svc + "-1", Stream: stack.Stdout,
			Time: t0.Add(time.Duration(len(out)-40) * time.Second), Text: text})
	}
	for i := 0; i < 12; i++ {
		add("db", fmt.Sprintf("[Note] InnoDB: buffer pool load %d%% completed", i*8))
		add("web", fmt.Sprintf("GET /api/items/%d 200 %dms", i, 3+i))
	}
	add("web", "\x1b[31mERROR\x1b[0m connection refused: db:3306")
	add("worker", "allocating 512 MiB")
	add("web", "GET /health 200 1ms")
	add("db", "[Warning] Aborted connection 12 to db: 'shop' user: 'root'")
	add("web", "POST /api/orders 500 error: timeout after 30s")
	return out
}

// shopModel is the screen over the fake shop stack at a size, settled.
func shopModel(t interface {
	Helper()
	Fatalf(string, ...any)
}, opts Options) (*fakeBackend, Options) {
	f := newFake(shopProject(), shopContainers()...)
	f.stages["web"] = []stack.BuildStage{
		{Index: 0, Name: "deps", Base: "node:22", Line: 1},
		{Index: 1, Name: "dev", Base: "deps", Line: 6},
		{Index: 2, Name: "build", Base: "deps", Line: 12},
		{Index: 3, Name: "", Base: "nginx:alpine", Line: 18},
	}
	// The engine's names: db's volume is named in the compose file
	// (`name: shop-data`), so it is not "shop_db".
	f.volumes = []string{"shop-data"}
	// Screen tests look at each batch; TestSlowLogsWaitForTheNextFrame
	// covers the pacing.
	opts.LogsEveryBatch = true
	opts.Project = shopProject()
	opts.Now = fixedNow
	opts.NoColor = true
	opts.Theme = ThemeDark
	return f, opts
}
