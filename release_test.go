package devstack_test

import (
	"os"
	"regexp"
	"slices"
	"testing"

	"go.yaml.in/yaml/v3"
)

// TestCICrossCompilesEveryReleaseTarget keeps .ci/run's cross-compile step
// in step with .goreleaser.yaml: a release target CI never builds is where
// a Unix-only call (syscall.SIGWINCH broke the Windows build once) hides.
func TestCICrossCompilesEveryReleaseTarget(t *testing.T) {
	data, err := os.ReadFile(".goreleaser.yaml")
	if err != nil {
		t.Fatal(err)
	}
	var cfg struct {
		Builds []struct {
			Env    []string `yaml:"env"`
			Goos   []string `yaml:"goos"`
			Goarch []string `yaml:"goarch"`
		} `yaml:"builds"`
	}
	if err := yaml.Unmarshal(data, &cfg); err != nil {
		t.Fatalf(".goreleaser.yaml: %v", err)
	}
	var want []string
	for _, b := range cfg.Builds {
		if !slices.Contains(b.Env, "CGO_ENABLED=0") {
			t.Errorf(".goreleaser.yaml: a build without CGO_ENABLED=0; .ci/run cross-compiles with it")
		}
		for _, goos := range b.Goos {
			for _, arch := range b.Goarch {
				want = append(want, goos+"/"+arch)
			}
		}
	}
	ci, err := os.ReadFile(".ci/run")
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile(`(?m)^for target in ([^;]+); do`).FindSubmatch(ci)
	if m == nil {
		t.Fatal(".ci/run has no `for target in ...; do` cross-compile loop")
	}
	got := regexp.MustCompile(`\S+`).FindAllString(string(m[1]), -1)
	slices.Sort(got)
	slices.Sort(want)
	if !slices.Equal(got, want) {
		t.Errorf(".ci/run cross-compiles %v, .goreleaser.yaml releases %v", got, want)
	}
}
