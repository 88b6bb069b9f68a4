package stack

import (
	"context"
	"net/netip"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"testing"
	"time"

	"github.com/compose-spec/compose-go/v2/types"
	"github.com/moby/moby/api/types/container"
	"github.com/moby/moby/api/types/mount"
	"github.com/moby/moby/api/types/network"
)

// loadLabelFixture loads a compose-labels fixture under its own name.
func loadLabelFixture(t *testing.T, name string) *Project {
	t.Helper()
	t.Setenv("COMPOSE_PROJECT_NAME", "")
	t.Setenv("COMPOSE_FILE", "")
	t.Setenv("COMPOSE_PROFILES", "")
	dir, _ := filepath.Abs(filepath.Join("testdata/compose-labels", name))
	p, err := Load(context.Background(), LoadOptions{WorkingDir: dir, Files: []string{filepath.Join(dir, "compose.yaml")}})
	if err != nil {
		t.Fatalf("load %s: %v", name, err)
	}
	return p
}

func specFor(t *testing.T, p *Project, service, api string) createSpec {
	t.Helper()
	model := p.model.project
	sc := model.Services[service]
	spec, err := buildCreateSpec(model, sc, createTarget{number: 1, name: containerNameFor(model.Name, sc, 1), apiVersion: api})
	if err != nil {
		t.Fatalf("create spec of %s: %v", service, err)
	}
	return spec
}

func TestCreateSpecResources(t *testing.T) {
	p := loadLabelFixture(t, "resources")
	w := specFor(t, p, "worker", "1.41").opts
	if got, want := w.HostConfig.Resources.NanoCPUs, int64(5e8); got != want {
		t.Errorf("worker NanoCPUs: got %d, want %d", got, want)
	}
	if got, want := w.HostConfig.Resources.Memory, int64(256<<20); got != want {
		t.Errorf("worker memory: got %d, want %d", got, want)
	}
	if got, want := w.HostConfig.Resources.MemoryReservation, int64(64<<20); got != want {
		t.Errorf("worker reservation: got %d, want %d", got, want)
	}
	if got := w.HostConfig.Resources.Ulimits; len(got) != 1 || *got[0] != (container.Ulimit{Name: "nofile", Soft: 1024, Hard: 2048}) {
		t.Errorf("worker ulimits: got %+v", got)
	}
	if got := w.HostConfig.RestartPolicy.Name; got != container.RestartPolicyUnlessStopped {
		t.Errorf("worker restart: got %q", got)
	}
	if w.HostConfig.Init == nil || !*w.HostConfig.Init || w.Config.User != "1000:1000" || w.Config.WorkingDir != "/tmp" {
		t.Errorf("worker init/user/workdir: got %v %q %q", w.HostConfig.Init, w.Config.User, w.Config.WorkingDir)
	}
	l := specFor(t, p, "legacy", "1.41").opts
	if l.HostConfig.Resources.NanoCPUs != 25e7 || l.HostConfig.Resources.Memory != 128<<20 ||
		l.HostConfig.Resources.PidsLimit == nil || *l.HostConfig.Resources.PidsLimit != 100 {
		t.Errorf("legacy resources: got cpus %d mem %d pids %v", l.HostConfig.Resources.NanoCPUs,
			l.HostConfig.Resources.Memory, l.HostConfig.Resources.PidsLimit)
	}
}

func TestCreateSpecNetworksAndPorts(t *testing.T) {
	p := loadLabelFixture(t, "networks")
	old := specFor(t, p, "proxy", "1.41")
	if got := string(old.opts.HostConfig.NetworkMode); got != "networks_back" {
		t.Errorf("network mode: got %s, want networks_back (first by name)", got)
	}
	if len(old.opts.NetworkingConfig.EndpointsConfig) != 1 || len(old.joinLater) != 1 || old.joinLater[0].network != "networks_front" {
		t.Errorf("API 1.41: got endpoints %v and later %+v, want back at create and front after", sortedKeys(old.opts.NetworkingConfig.EndpointsConfig), old.joinLater)
	} else if got := old.joinLater[0].endpoint.Aliases; !reflect.DeepEqual(got, []string{"networks-proxy-1", "proxy", "edge"}) {
		t.Errorf("front aliases: got %v", got)
	}
	if recent := specFor(t, p, "proxy", "1.44"); len(recent.opts.NetworkingConfig.EndpointsConfig) != 2 || len(recent.joinLater) != 0 {
		t.Errorf("API 1.44: got %d endpoints and %d later, want 2 and 0", len(recent.opts.NetworkingConfig.EndpointsConfig), len(recent.joinLater))
	}
	want := network.PortMap{
		network.MustParsePort("80/tcp"):   {{HostIP: netip.MustParseAddr("127.0.0.1"), HostPort: "18080"}},
		network.MustParsePort("9000/udp"): {{HostPort: "9000"}},
		network.MustParsePort("9001/udp"): {{HostPort: "9001"}},
	}
	if got := old.opts.HostConfig.PortBindings; !reflect.DeepEqual(got, want) {
		t.Errorf("port bindings: got %v, want %v", got, want)
	}
	if got := len(old.opts.Config.ExposedPorts); got != 3 {
		t.Errorf("exposed ports: got %d, want 3", got)
	}
	if got := old.opts.HostConfig.ExtraHosts; !slices.Equal(got, []string{"host.example:127.0.0.1"}) {
		t.Errorf("extra hosts: got %v", got)
	}
	if got := specFor(t, p, "api", "1.41").opts.Name; got != "networks-api-custom" {
		t.Errorf("container_name: got %s", got)
	}
}

func TestCreateSpecMountsAndHealthcheck(t *testing.T) {
	p := loadLabelFixture(t, "appdb")
	app := specFor(t, p, "app", "1.41").opts.HostConfig
	wantBinds := []string{filepath.Join(p.WorkingDir, "files/code") + ":/var/www:rw", "/etc/localtime:/etc/localtime:ro"}
	if !slices.Equal(app.Binds, wantBinds) {
		t.Errorf("app binds: got %v, want %v", app.Binds, wantBinds)
	}
	if app.Tmpfs["/tmp"] != "size=16m" {
		t.Errorf("app tmpfs: got %v", app.Tmpfs)
	}
	db := specFor(t, p, "db", "1.41").opts
	if !slices.Equal(db.HostConfig.Binds, []string{"appdb_dbdata:/var/lib/mysql:rw"}) {
		t.Errorf("db binds: got %v", db.HostConfig.Binds)
	}
	wantTmpfs := mount.Mount{Type: mount.TypeTmpfs, Target: "/run/mysqld", TmpfsOptions: &mount.TmpfsOptions{SizeBytes: 16 << 20, Mode: 01777}}
	if len(db.HostConfig.Mounts) != 1 || !reflect.DeepEqual(db.HostConfig.Mounts[0], wantTmpfs) {
		t.Errorf("db mounts: got %+v, want %+v", db.HostConfig.Mounts, wantTmpfs)
	}
	hc := db.Config.Healthcheck
	if hc == nil || hc.Interval != 2*time.Second || hc.Timeout != 2*time.Second || hc.Retries != 30 {
		t.Errorf("db healthcheck: got %+v", hc)
	}
	if !slices.Contains(db.Config.Env, "MARIADB_ROOT_PASSWORD=devroot") {
		t.Errorf("db env (from env_file): got %v", db.Config.Env)
	}
}

func TestSecurityOpts(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "profile.json"), []byte("{\n  \"defaultAction\": \"SCMP_ACT_ALLOW\"\n}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	model := &types.Project{WorkingDir: dir}
	got, unconfined, err := securityOpts(model, []string{"no-new-privileges", "seccomp=profile.json", "apparmor:unconfined", "systempaths=unconfined"})
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"no-new-privileges", `seccomp={"defaultAction":"SCMP_ACT_ALLOW"}`, "apparmor:unconfined"}
	if !slices.Equal(got, want) || !unconfined {
		t.Errorf("got %q (unconfined %v), want %q and unconfined", got, unconfined, want)
	}
	if _, _, err := securityOpts(model, []string{"seccomp=missing.json"}); err == nil {
		t.Error("a missing seccomp profile: got no error")
	}
}

// loadInlineProject loads a compose file given as text, without an engine.
func loadInlineProject(t *testing.T, compose string) *Project {
	t.Helper()
	dir := t.TempDir()
	file := filepath.Join(dir, "compose.yaml")
	if err := os.WriteFile(file, []byte(compose), 0o644); err != nil {
		t.Fatal(err)
	}
	p, err := Load(context.Background(), LoadOptions{WorkingDir: dir, Files: []string{file}, ProjectName: "inline"})
	if err != nil {
		t.Fatalf("load: %v", err)
	}
	return p
}

func TestCreateSpecMiscellany(t *testing.T) {
	p := loadInlineProject(t, `
services:
  app:
    image: local/busybox
    mac_address: "02:42:ac:11:00:99"
    hostname: apphost
    privileged: true
    read_only: true
    shm_size: 64m
    tty: true
    stdin_open: true
    dns: [10.0.0.2]
    sysctls:
      net.core.somaxconn: "1024"
    cap_add: [NET_ADMIN]
    cap_drop: [MKNOD]
    group_add: ["1001"]
    stop_signal: SIGINT
    stop_grace_period: 3s
    logging:
      driver: json-file
      options:
        max-size: 1m
    restart: on-failure:4
    platform: linux/amd64
    blkio_config:
      weight: 300
      device_read_bps:
        - path: /dev/sda
          rate: 1mb
    gpus:
      - driver: nvidia
        count: 1
  host:
    image: local/busybox
    network_mode: host
`)
	app := specFor(t, p, "app", "1.41").opts
	ep := app.NetworkingConfig.EndpointsConfig["inline_default"]
	if ep == nil || ep.MacAddress.String() != "02:42:ac:11:00:99" {
		t.Errorf("mac_address on the primary network: got %+v", ep)
	}
	h, c := app.HostConfig, app.Config
	checks := map[string]bool{
		"hostname":     c.Hostname == "apphost",
		"privileged":   h.Privileged,
		"read_only":    h.ReadonlyRootfs,
		"shm_size":     h.ShmSize == 64<<20,
		"tty":          c.Tty && c.OpenStdin,
		"dns":          len(h.DNS) == 1 && h.DNS[0].String() == "10.0.0.2",
		"sysctls":      h.Sysctls["net.core.somaxconn"] == "1024",
		"caps":         slices.Equal(h.CapAdd, []string{"NET_ADMIN"}) && slices.Equal(h.CapDrop, []string{"MKNOD"}),
		"group_add":    slices.Equal(h.GroupAdd, []string{"1001"}),
		"stop":         c.StopSignal == "SIGINT" && c.StopTimeout != nil && *c.StopTimeout == 3,
		"logging":      h.LogConfig.Type == "json-file" && h.LogConfig.Config["max-size"] == "1m",
		"restart":      h.RestartPolicy.Name == container.RestartPolicyOnFailure && h.RestartPolicy.MaximumRetryCount == 4,
		"default only": len(app.NetworkingConfig.EndpointsConfig) == 1,
		"platform":     app.Platform != nil && app.Platform.OS == "linux" && app.Platform.Architecture == "amd64",
		"blkio": h.BlkioWeight == 300 && len(h.BlkioDeviceReadBps) == 1 &&
			h.BlkioDeviceReadBps[0].Path == "/dev/sda" && h.BlkioDeviceReadBps[0].Rate == 1<<20,
		"gpus": len(h.DeviceRequests) == 1 && h.DeviceRequests[0].Driver == "nvidia" && h.DeviceRequests[0].Count == 1 &&
			slices.Equal(h.DeviceRequests[0].Capabilities[0], []string{"gpu"}),
	}
	for name, ok := range checks {
		if !ok {
			t.Errorf("%s not converted as Compose does", name)
		}
	}
	host := specFor(t, p, "host", "1.41").opts
	if host.HostConfig.NetworkMode != "host" || host.NetworkingConfig != nil {
		t.Errorf("network_mode host: got mode %q and endpoints %+v", host.HostConfig.NetworkMode, host.NetworkingConfig)
	}
}
