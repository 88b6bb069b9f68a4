package stack

import (
	"bufio"
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// inPlace lists the services whose hash holds an absolute host path (a
// bind-mount source, develop.watch paths): it depends on where the fixture
// lies, so none is recorded, and TestServiceHashMatchesComposeInPlace runs
// Docker Compose in the test's own folder for them instead.
var inPlace = map[string]bool{"appdb/app": true, "develop-watch/web": true}

// TestServiceHashMatchesCompose loads every fixture of testdata/compose-hash
// (copied from shared/testdata, produced by Docker Compose v5.6.0) and
// compares devstack's service hashes with Compose's.
func TestServiceHashMatchesCompose(t *testing.T) {
	wants, err := filepath.Glob("testdata/compose-hash/*/expected-service-hashes*.txt")
	if err != nil || len(wants) == 0 {
		t.Fatalf("no fixtures found: %v", err)
	}
	for _, want := range wants {
		dir := filepath.Dir(want)
		var profiles []string
		if strings.HasSuffix(want, "-profile-debug.txt") {
			profiles = []string{"debug"}
		}
		t.Run(filepath.Base(dir)+strings.Join(profiles, ""), func(t *testing.T) {
			p := loadFixture(t, dir, profiles)
			expected := readPairs(t, want)
			for _, s := range p.Services {
				w, ok := expected[s.Name]
				switch {
				case inPlace[filepath.Base(dir)+"/"+s.Name]:
					if ok {
						t.Errorf("service %s: a hash is recorded, but it depends on the folder; check it in place", s.Name)
					}
				case !ok:
					t.Errorf("service %s: no recorded hash", s.Name)
				case s.Hash != w:
					t.Errorf("service %s: got hash %s, want %s", s.Name, s.Hash, w)
				}
				delete(expected, s.Name)
			}
			for name := range expected {
				t.Errorf("service %s: recorded but not loaded", name)
			}
		})
	}
}

// TestNetworkAndVolumeHashesMatchCompose compares the network and volume
// hashes with the labels Compose put on what it created (project name =
// folder name, as when the labels were recorded).
func TestNetworkAndVolumeHashesMatchCompose(t *testing.T) {
	labels, err := filepath.Glob("testdata/compose-hash/*/expected-labels.txt")
	if err != nil || len(labels) == 0 {
		t.Fatalf("no fixtures found: %v", err)
	}
	for _, file := range labels {
		dir := filepath.Dir(file)
		t.Run(filepath.Base(dir), func(t *testing.T) {
			p := loadFixture(t, dir, nil)
			if p.Name != filepath.Base(dir) {
				t.Fatalf("project name %q, want the folder's name %q", p.Name, filepath.Base(dir))
			}
			checked := 0
			for _, line := range readLines(t, file) {
				f := strings.Fields(line)
				if len(f) < 3 {
					continue
				}
				switch f[0] {
				case "network":
					n, ok := p.Network(f[1])
					if !ok {
						t.Errorf("network %s: not in project (have %v)", f[1], p.Networks)
					} else if n.Hash != f[2] {
						t.Errorf("network %s: got hash %s, want %s", f[1], n.Hash, f[2])
					}
					checked++
				case "volume":
					v, ok := p.Volume(f[1])
					if !ok {
						t.Errorf("volume %s: not in project (have %v)", f[1], p.Volumes)
					} else if v.Hash != f[2] {
						t.Errorf("volume %s: got hash %s, want %s", f[1], v.Hash, f[2])
					}
					checked++
				}
			}
			if checked == 0 {
				t.Fatalf("%s lists no network or volume", file)
			}
		})
	}
}

func loadFixture(t *testing.T, dir string, profiles []string) *Project {
	t.Helper()
	unsetEnv(t, "COMPOSE_PROFILES", "COMPOSE_FILE", "COMPOSE_PROJECT_NAME", "DOCKER_DEFAULT_PLATFORM")
	abs, err := filepath.Abs(dir)
	if err != nil {
		t.Fatal(err)
	}
	p, err := Load(context.Background(), LoadOptions{WorkingDir: abs, Profiles: profiles})
	if err != nil {
		t.Fatalf("load %s: %v", dir, err)
	}
	return p
}

func readPairs(t *testing.T, path string) map[string]string {
	t.Helper()
	out := map[string]string{}
	for _, line := range readLines(t, path) {
		if k, v, ok := strings.Cut(line, " "); ok {
			out[k] = v
		}
	}
	return out
}

func readLines(t *testing.T, path string) []string {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out []string
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		out = append(out, sc.Text())
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// unsetEnv removes variables for one test (compose-go treats a variable set
// to "" as set) and restores them afterwards.
func unsetEnv(t *testing.T, keys ...string) {
	t.Helper()
	for _, k := range keys {
		t.Setenv(k, "") // registers the restore and forbids t.Parallel
		if err := os.Unsetenv(k); err != nil {
			t.Fatal(err)
		}
	}
}

func absPath(t *testing.T, p string) string {
	t.Helper()
	abs, err := filepath.Abs(p)
	if err != nil {
		t.Fatal(err)
	}
	return abs
}

// loadDir loads the project in dir with nothing from the environment.
func loadDir(t *testing.T, dir string, opts ...func(*LoadOptions)) *Project {
	t.Helper()
	unsetEnv(t, "COMPOSE_PROFILES", "COMPOSE_FILE", "COMPOSE_PROJECT_NAME")
	o := LoadOptions{WorkingDir: dir}
	for _, f := range opts {
		f(&o)
	}
	p, err := Load(context.Background(), o)
	if err != nil {
		t.Fatalf("load %s: %v", dir, err)
	}
	return p
}

// TestResolvedHashMatchesCompose checks the hash of a service that shares
// another's namespaces and volumes. The expected values are the
// config-hash labels Compose v5.6.0 (built from its module source) wrote
// on `up --no-start` of testdata/refs on Engine 20.10, where the db
// container got the ID below.
func TestResolvedHashMatchesCompose(t *testing.T) {
	const dbID = "ec48bb008b679c8a0ab0aa4404c3490a7afe6db3f99ce54c9582ff5481ecb225"
	p := loadDir(t, absPath(t, "testdata/refs"))
	containerOf := func(s string) (string, bool) { return dbID, s == "db" }
	cases := map[string]string{
		"app": "6de01b61d7c5d03f47eff14a2b5bd137515661ef150c610b99ddb11f1c744d58",
		"db":  "f09a9ed10fd3df4b70cbbf28b38bb6670ae056c9b929debb34807360a1e499f3",
	}
	for service, want := range cases {
		got, err := p.ResolvedHash(service, containerOf)
		if err != nil {
			t.Fatalf("%s: %v", service, err)
		}
		if got != want {
			t.Errorf("%s: got %s, want %s", service, got, want)
		}
	}
	db, _ := p.Service("db")
	if db.Hash != cases["db"] {
		t.Errorf("db without references: Service.Hash %s differs from its resolved hash", db.Hash)
	}
	if _, err := p.ResolvedHash("app", func(string) (string, bool) { return "", false }); !errors.Is(err, ErrNotCreated) {
		t.Errorf("app with db missing: got %v, want ErrNotCreated", err)
	}
}

// TestServiceHashMatchesComposeInPlace runs Docker Compose v5.6.0's
// `config --hash '*'` in the very folders the test loads, for the fixtures
// whose hashes hold an absolute path (see inPlace), and compares every
// service's hash with devstack's.
func TestServiceHashMatchesComposeInPlace(t *testing.T) {
	bin := composeBinary(t)
	fixtures := map[string]bool{}
	for key := range inPlace {
		fixture, _, _ := strings.Cut(key, "/")
		fixtures[fixture] = true
	}
	for fixture := range fixtures {
		t.Run(fixture, func(t *testing.T) {
			dir := filepath.Join("testdata/compose-hash", fixture)
			p := loadFixture(t, dir, nil)
			cmd := exec.Command(bin, "config", "--hash", "*")
			cmd.Dir = dir
			cmd.Env = withoutComposeEnv(os.Environ())
			out, err := cmd.Output()
			if err != nil {
				t.Fatalf("docker compose config --hash '*' in %s: %v", dir, err)
			}
			want := map[string]string{}
			for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
				if k, v, ok := strings.Cut(line, " "); ok {
					want[k] = v
				}
			}
			if len(want) != len(p.Services) {
				t.Errorf("compose hashed %d services (%s), devstack loaded %d", len(want), out, len(p.Services))
			}
			for _, s := range p.Services {
				if s.Hash != want[s.Name] {
					t.Errorf("service %s: got hash %s, compose computes %q here", s.Name, s.Hash, want[s.Name])
				}
			}
		})
	}
}

// withoutComposeEnv drops what loadFixture unsets, so Compose reads the
// folder the way devstack does.
func withoutComposeEnv(env []string) []string {
	var out []string
	for _, kv := range env {
		k, _, _ := strings.Cut(kv, "=")
		switch k {
		case "COMPOSE_PROFILES", "COMPOSE_FILE", "COMPOSE_PROJECT_NAME", "DOCKER_DEFAULT_PLATFORM":
			continue
		}
		out = append(out, kv)
	}
	return out
}
