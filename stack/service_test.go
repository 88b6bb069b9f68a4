package stack

import (
	"context"
	"errors"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

// loadYAML loads one compose file written into a fresh folder named proj.
func loadYAML(t *testing.T, content string, opts ...func(*LoadOptions)) *Project {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "proj")
	writeFile(t, filepath.Join(dir, "compose.yaml"), content)
	return loadDir(t, dir, opts...)
}

func TestServicePorts(t *testing.T) {
	p := loadYAML(t, `services:
  app:
    image: x
    ports:
      - "8080:80"
      - "127.0.0.1:5353:53/udp"
      - "9000-9001:9000-9001"
      - "8000-8010:80"
      - "3000"
      - target: 443
        published: "8443"
        host_ip: "::1"
        protocol: tcp
`)
	app, _ := p.Service("app")
	want := []string{"8080->80/tcp", "127.0.0.1:5353->53/udp", "9000->9000/tcp", "9001->9001/tcp",
		"8000-8010->80/tcp", "3000/tcp", "[::1]:8443->443/tcp"}
	var got []string
	for _, port := range app.Ports {
		got = append(got, port.String())
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got ports %v, want %v", got, want)
	}
	if app.Ports[6].HostIP != "::1" {
		t.Errorf("long syntax host_ip: got %q, want ::1", app.Ports[6].HostIP)
	}
}

func TestServiceMounts(t *testing.T) {
	p := loadYAML(t, `services:
  db:
    image: x
    volumes:
      - data:/var/lib/mysql
      - ./conf:/etc/mysql/conf.d:ro
      - /cache
      - type: tmpfs
        target: /run/mysqld
        tmpfs:
          size: 16777216
          mode: 01777
      - type: volume
        source: shared
        target: /shared
    tmpfs:
      - /tmp:size=16m,mode=1770
volumes:
  data: {}
  shared:
    external: true
    name: team-shared
`)
	db, _ := p.Service("db")
	want := []Mount{
		{Kind: MountVolume, Source: "proj_data", Target: "/var/lib/mysql"},
		{Kind: MountBind, Source: filepath.Join(p.WorkingDir, "conf"), Target: "/etc/mysql/conf.d", ReadOnly: true},
		{Kind: MountVolume, Source: "", Target: "/cache"},
		{Kind: MountTmpfs, Target: "/run/mysqld", TmpfsSize: 16 << 20, TmpfsMode: 0o1777},
		{Kind: MountVolume, Source: "team-shared", Target: "/shared"},
		{Kind: MountTmpfs, Target: "/tmp", TmpfsSize: 16 << 20, TmpfsMode: 0o1770},
	}
	if !reflect.DeepEqual(db.Mounts, want) {
		t.Errorf("got mounts\n%+v\nwant\n%+v", db.Mounts, want)
	}
	v, ok := p.Volume("shared")
	if !ok || !v.External || v.Name != "team-shared" {
		t.Errorf("volume shared: got %+v, want external team-shared", v)
	}
}

func TestServiceLimits(t *testing.T) {
	p := loadYAML(t, `services:
  legacy:
    image: x
    mem_limit: 128m
    mem_reservation: 64m
    cpus: 0.25
    pids_limit: 100
  deployed:
    image: x
    deploy:
      resources:
        limits: {cpus: "1.5", memory: 256m, pids: 50}
        reservations: {memory: 32m}
  none:
    image: x
`)
	cases := map[string]Limits{
		"legacy":   {MemoryBytes: 128 << 20, MemoryReservation: 64 << 20, CPUs: 0.25, Pids: 100},
		"deployed": {MemoryBytes: 256 << 20, MemoryReservation: 32 << 20, CPUs: 1.5, Pids: 50},
		"none":     {},
	}
	for name, want := range cases {
		s, _ := p.Service(name)
		if s.Limits != want {
			t.Errorf("%s: got limits %+v, want %+v", name, s.Limits, want)
		}
	}
}

func TestServiceScaleAndProfiles(t *testing.T) {
	content := `services:
  web:
    image: x
    scale: 3
  worker:
    image: x
    deploy:
      replicas: 2
  single:
    image: x
  debug:
    image: x
    profiles: [debug]
`
	p := loadYAML(t, content)
	for name, want := range map[string]int{"web": 3, "worker": 2, "single": 1} {
		if s, _ := p.Service(name); s.Scale != want {
			t.Errorf("%s: got scale %d, want %d", name, s.Scale, want)
		}
	}
	if got := strings.Join(p.ServiceNames(), ","); got != "single,web,worker" {
		t.Errorf("active services: got %s, want single,web,worker", got)
	}
	if len(p.Inactive) != 1 || p.Inactive[0].Name != "debug" || !reflect.DeepEqual(p.Inactive[0].Profiles, []string{"debug"}) {
		t.Errorf("inactive: got %+v, want debug with profile debug", p.Inactive)
	}
	withDebug := loadYAML(t, content, func(o *LoadOptions) { o.Profiles = []string{"debug"} })
	if _, ok := withDebug.Service("debug"); !ok || len(withDebug.Inactive) != 0 {
		t.Errorf("--profile debug: got active %v inactive %d, want debug active", withDebug.ServiceNames(), len(withDebug.Inactive))
	}
}

func TestServiceBasics(t *testing.T) {
	p := loadYAML(t, `services:
  api:
    build:
      context: ./api
      target: dev
      args: {GO_VERSION: "1.26"}
    command: ["serve", "--port", "80"]
    entrypoint: /bin/entry
    user: "1000:1000"
    working_dir: /srv
    restart: unless-stopped
    container_name: my-api
    healthcheck:
      test: ["CMD", "true"]
    networks:
      back:
        aliases: [backend]
    depends_on:
      db:
        condition: service_healthy
        restart: true
  db:
    image: local/mariadb:test
    networks: [back]
    healthcheck:
      test: ["CMD", "true"]
networks:
  back: {}
`)
	api, _ := p.Service("api")
	want := Service{
		Name: "api", Image: "proj-api",
		Build:   &BuildSpec{Context: filepath.Join(p.WorkingDir, "api"), Dockerfile: "Dockerfile", Target: "dev", Args: map[string]string{"GO_VERSION": "1.26"}},
		Command: []string{"serve", "--port", "80"}, Entrypoint: []string{"/bin/entry"},
		Networks:  []NetworkAttachment{{Network: "back", Aliases: []string{"backend"}}},
		DependsOn: []Dependency{{Service: "db", Condition: "service_healthy", Restart: true, Required: true}},
		Scale:     1, ContainerName: "my-api", Restart: "unless-stopped", User: "1000:1000", WorkingDir: "/srv",
		Healthcheck: true, Hash: api.Hash,
	}
	api.Env = nil
	if !reflect.DeepEqual(api, want) {
		t.Errorf("got\n%+v\nwant\n%+v", api, want)
	}
	if n, ok := p.Network("back"); !ok || n.Name != "proj_back" || n.Hash == "" {
		t.Errorf("network back: got %+v, want proj_back with a hash", n)
	}
}

func TestLoadSelectedServices(t *testing.T) {
	unsetEnv(t, "COMPOSE_PROFILES", "COMPOSE_FILE", "COMPOSE_PROJECT_NAME")
	dir := absPath(t, "testdata/compose-hash/profiles")
	p, err := Load(context.Background(), LoadOptions{WorkingDir: dir, Services: []string{"debugger"}})
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(p.ServiceNames(), ","); got != "debugger" {
		t.Errorf("selecting a profiled service: got %s, want debugger", got)
	}
	_, err = Load(context.Background(), LoadOptions{WorkingDir: dir, Services: []string{"nope"}})
	if !errors.Is(err, ErrUnknownService) || !strings.Contains(err.Error(), `"nope"`) {
		t.Errorf("unknown service: got %v, want ErrUnknownService naming nope", err)
	}
}
