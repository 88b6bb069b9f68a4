package stack

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/moby/moby/client"

	"github.com/devstack/devstack/stack/internal/confighash"
)

// TestLabelsMatchCompose computes, for each fixture of
// testdata/compose-labels, the labels devstack writes and compares them
// with what Docker Compose v5.6.0 wrote for the same project.
func TestLabelsMatchCompose(t *testing.T) {
	dirs, err := filepath.Glob("testdata/compose-labels/*/expected-labels.txt")
	if err != nil || len(dirs) == 0 {
		t.Fatalf("no fixtures found: %v", err)
	}
	for _, want := range dirs {
		dir, _ := filepath.Abs(filepath.Dir(want))
		t.Run(filepath.Base(dir), func(t *testing.T) {
			t.Setenv("COMPOSE_PROJECT_NAME", "")
			t.Setenv("COMPOSE_FILE", "")
			t.Setenv("COMPOSE_PROFILES", "")
			p, err := Load(context.Background(), LoadOptions{WorkingDir: dir, Files: []string{filepath.Join(dir, "compose.yaml")}})
			if err != nil {
				t.Fatalf("load: %v", err)
			}
			raw, err := os.ReadFile(want)
			if err != nil {
				t.Fatal(err)
			}
			for _, line := range strings.Split(strings.TrimSpace(string(raw)), "\n") {
				checkLabelLine(t, p, strings.Fields(line))
			}
		})
	}
}

func checkLabelLine(t *testing.T, p *Project, f []string) {
	t.Helper()
	model := p.model.project
	switch f[0] {
	case "container":
		sc, ok := model.Services[f[1]]
		if !ok {
			t.Fatalf("service %s not loaded", f[1])
		}
		hash, err := confighash.Service(sc)
		if err != nil {
			t.Fatal(err)
		}
		labels := containerLabels(model, sc, 1, hash, "sha256:0")
		// appdb's app hash holds the absolute path of a bind mount on the
		// machine where Compose ran (see testdata/compose-labels/README.md).
		if !(model.Name == "appdb" && sc.Name == "app") && labels[labelConfigHash] != f[2] {
			t.Errorf("container %s: got config-hash %s, want %s", f[1], labels[labelConfigHash], f[2])
		}
		if got := "/" + containerNameFor(model.Name, sc, 1); got != f[3] {
			t.Errorf("container %s: got name %s, want %s", f[1], got, f[3])
		}
		if got, want := "depends_on="+labels[labelDependsOn], f[4]; got != want {
			t.Errorf("container %s: got %s, want %s", f[1], got, want)
		}
	case "network":
		labels, err := networkLabels(model.Name, f[1], model.Networks[f[1]])
		if err != nil {
			t.Fatal(err)
		}
		if labels[labelConfigHash] != f[2] {
			t.Errorf("network %s: got config-hash %s, want %s", f[1], labels[labelConfigHash], f[2])
		}
	case "volume":
		labels, err := volumeLabels(model.Name, f[1], model.Volumes[f[1]])
		if err != nil {
			t.Fatal(err)
		}
		if labels[labelConfigHash] != f[2] {
			t.Errorf("volume %s: got config-hash %s, want %s", f[1], labels[labelConfigHash], f[2])
		}
	default:
		t.Fatalf("unknown line %v", f)
	}
}

func TestDependsOnLabelRoundTrip(t *testing.T) {
	got := parseDependsOnLabel("cache:service_healthy:true,migrate:service_completed_successfully:false")
	want := []labelDependency{
		{Service: "cache", Condition: "service_healthy", Restart: true},
		{Service: "migrate", Condition: "service_completed_successfully", Restart: false},
	}
	if len(got) != len(want) {
		t.Fatalf("got %+v, want %+v", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("entry %d: got %+v, want %+v", i, got[i], want[i])
		}
	}
	if deps := parseDependsOnLabel(""); len(deps) != 0 {
		t.Errorf("empty label: got %+v, want none", deps)
	}
}

// TestUpWritesComposeLabels brings fixtures up under a test project name
// and checks every label Compose relies on, on the engine itself.
func TestUpWritesComposeLabels(t *testing.T) {
	for _, fixture := range []string{"simple", "healthcheck-deps", "resources"} {
		t.Run(fixture, func(t *testing.T) {
			s := newTestStack(t, "labels")
			requireFixture(t, s.e, "local/busybox")
			dir, _ := filepath.Abs(filepath.Join("testdata/compose-labels", fixture))
			file := filepath.Join(dir, "compose.yaml")
			p, err := Load(context.Background(), LoadOptions{WorkingDir: dir, Files: []string{file}, ProjectName: s.Name})
			if err != nil {
				t.Fatalf("load: %v", err)
			}
			if err := s.e.Up(context.Background(), p, UpOptions{}); err != nil {
				t.Fatalf("up: %v", err)
			}
			img, err := s.e.api.ImageInspect(context.Background(), "local/busybox")
			if err != nil {
				t.Fatal(err)
			}
			expected := expectedContainers(t, filepath.Join(dir, "expected-labels.txt"))
			cs := s.ps()
			if len(cs) != len(expected) {
				t.Fatalf("got %d containers, want %d", len(cs), len(expected))
			}
			for _, c := range cs {
				want := map[string]string{
					labelProject: s.Name, labelService: c.Service, labelNumber: "1", labelOneOff: "False",
					labelConfigHash: expected[c.Service][0], labelDependsOn: expected[c.Service][1],
					labelImage: img.ID, labelWorkingDir: dir, labelConfigFiles: file, labelVersion: composeVersion,
				}
				for k, v := range want {
					if c.Labels[k] != v {
						t.Errorf("%s: label %s: got %q, want %q", c.Name, k, c.Labels[k], v)
					}
				}
			}
			checkNetworkLabels(t, s, p)
		})
	}
}

// expectedContainers reads service → {config-hash, depends_on} from an
// expected-labels.txt.
func expectedContainers(t *testing.T, path string) map[string][2]string {
	t.Helper()
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string][2]string{}
	for _, line := range strings.Split(string(raw), "\n") {
		f := strings.Fields(line)
		if len(f) == 5 && f[0] == "container" {
			out[f[1]] = [2]string{f[2], strings.TrimPrefix(f[4], "depends_on=")}
		}
	}
	return out
}

func checkNetworkLabels(t *testing.T, s *testStack, p *Project) {
	t.Helper()
	model := p.model.project
	want, err := networkLabels(s.Name, "default", model.Networks["default"])
	if err != nil {
		t.Fatal(err)
	}
	id, err := s.e.findNetwork(context.Background(), s.Name+"_default")
	if err != nil || id == "" {
		t.Fatalf("network %s_default not found: %v", s.Name, err)
	}
	res, err := s.e.api.NetworkInspect(context.Background(), id, client.NetworkInspectOptions{})
	if err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{labelProject, labelNetwork, labelVersion, labelConfigHash} {
		if got := res.Network.Labels[k]; got != want[k] || got == "" {
			t.Errorf("network label %s: got %q, want %q", k, got, want[k])
		}
	}
}
