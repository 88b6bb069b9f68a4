package composev1

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"

	"github.com/devstack/devstack/stack/internal/yamlpos"
)

// FuzzLegacyConvert converts arbitrary v1 files: it must never panic, a
// failure must be an error that reads cleanly, and what it produces must
// be a current-format file (services under services:, not legacy any
// more).
func FuzzLegacyConvert(f *testing.F) {
	// stack's legacy test stacks (seed 002's file) are the realistic seeds.
	files, _ := filepath.Glob("../../testdata/legacy/*/docker-compose.yml")
	for _, file := range files {
		b, err := os.ReadFile(file)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Add([]byte("web:\n  build: ./web\n  dockerfile: Dockerfile.dev\n  links: [\"db:database\"]\n  net: \"container:db\"\n  volumes_from: [db, other]\n  log_driver: syslog\n  volumes: [\"data:/data\"]\ndb:\n  image: x\n"))
	f.Add([]byte("base: &b\n  image: x\napp:\n  <<: *b\n  links: [base]\n"))
	f.Fuzz(func(t *testing.T, content []byte) {
		if !Detect(content) {
			return
		}
		out, _, err := Convert(content)
		if err != nil {
			if msg := err.Error(); strings.TrimSpace(msg) == "" || strings.Contains(msg, "%!") || strings.Contains(msg, "panic") {
				t.Errorf("unclean error text %q", msg)
			}
			return
		}
		var doc yaml.Node
		if err := yaml.Unmarshal(out, &doc); err != nil {
			// An alias whose anchor moved below it is the one way the
			// output can fail to parse; compose-go then reports it.
			if !strings.Contains(err.Error(), "unknown anchor") {
				t.Fatalf("converted file does not parse: %v\n%s", err, out)
			}
			return
		}
		root := yamlpos.TopMapping(out)
		if root == nil {
			t.Fatalf("converted file has no top-level mapping:\n%s", out)
		}
		if _, services := yamlpos.Child(root, "services"); services == nil || services.Kind != yaml.MappingNode {
			t.Fatalf("converted file has no services mapping:\n%s", out)
		}
		if Detect(out) {
			t.Fatalf("converted file is still legacy:\n%s", out)
		}
	})
}
