package composev1

import (
	"fmt"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"
)

func TestDetect(t *testing.T) {
	cases := []struct {
		yaml string
		want bool
	}{
		{"app:\n  image: x\n", true},
		{"version: \"1\"\napp:\n  image: x\n", true},
		{"app:\n  image: x\nx-common: &c\n  restart: always\n", true},
		{"services:\n  app:\n    image: x\n", false},
		{"version: \"2\"\nservices:\n  app:\n    image: x\n", false},
		{"version: \"3\"\napp:\n  image: x\n", false},
		{"name: x\nnetworks: {}\n", false},
		{"app: just a string\n", false},
		{"", false},
		{"- a\n- b\n", false},
	}
	for _, c := range cases {
		if got := Detect([]byte(c.yaml)); got != c.want {
			t.Errorf("Detect(%q): got %v, want %v", c.yaml, got, c.want)
		}
	}
}

// TestConvertLegacy checks each v1 rule on a small file.
func TestConvert(t *testing.T) {
	src := `
web:
  build: ./web
  dockerfile: Dockerfile.dev
  links: ["db:database", cache]
  volumes_from: [cache, data_container]
  log_driver: syslog
  log_opt: {tag: web}
  volumes: ["data:/data", "./src:/src"]
db:
  image: mariadb
cache:
  image: redis
  net: "container:db"
`
	out, notes, err := Convert([]byte(src))
	if err != nil {
		t.Fatal(err)
	}
	var got struct {
		Services map[string]map[string]any
		Volumes  map[string]map[string]string
	}
	if err := yaml.Unmarshal(out, &got); err != nil {
		t.Fatalf("converted file does not parse: %v\n%s", err, out)
	}
	web, db, cache := got.Services["web"], got.Services["db"], got.Services["cache"]
	checks := []struct {
		what      string
		got, want any
	}{
		{"web build", web["build"], map[string]any{"context": "./web", "dockerfile": "Dockerfile.dev"}},
		{"web depends_on", web["depends_on"], []any{"db", "cache"}},
		{"web links", web["links"], nil},
		{"web volumes_from", web["volumes_from"], []any{"cache", "container:data_container"}},
		{"web logging", web["logging"], map[string]any{"driver": "syslog", "options": map[string]any{"tag": "web"}}},
		{"db aliases", db["networks"], map[string]any{"default": map[string]any{"aliases": []any{"database"}}}},
		{"cache network_mode", cache["network_mode"], "service:db"},
		{"cache net", cache["net"], nil},
		{"named volume", got.Volumes["data"], map[string]string{"name": "data"}},
		{"bind mount not a volume", got.Volumes["./src"], map[string]string(nil)},
	}
	for _, c := range checks {
		if !equalYAML(c.got, c.want) {
			t.Errorf("%s: got %#v, want %#v", c.what, c.got, c.want)
		}
	}
	if len(notes) != 0 {
		t.Errorf("got notes %v, want none", notes)
	}
}

// TestConvertLegacyNotes checks what conversion cannot keep is said.
func TestConvertNotes(t *testing.T) {
	src := "web:\n  image: x\n  links: [outside, db:alias]\ndb:\n  image: y\n  net: host\n"
	_, notes, err := Convert([]byte(src))
	if err != nil {
		t.Fatal(err)
	}
	var texts []string
	for _, n := range notes {
		texts = append(texts, fmt.Sprintf("%d: services.%s.%s: %s", n.Line, n.Service, n.Key, n.Message))
	}
	all := strings.Join(texts, "\n")
	for _, want := range []string{`3: services.web.links: link to "outside"`, "0: services.db.links: link aliases alias dropped"} {
		if !strings.Contains(all, want) {
			t.Errorf("notes %q lack %q", all, want)
		}
	}
}

func equalYAML(a, b any) bool {
	x, _ := yaml.Marshal(a)
	y, _ := yaml.Marshal(b)
	return string(x) == string(y)
}

func TestNoteNamedVolumes(t *testing.T) {
	var seq yaml.Node
	if err := yaml.Unmarshal([]byte(`["data:/a", "./rel:/b", "/abs:/c", "~/home:/d", "$HOME/x:/e", "C:\\win:/f", "/anon", "data:/g", "logs:/h:ro"]`), &seq); err != nil {
		t.Fatal(err)
	}
	c := &conversion{}
	c.noteNamedVolumes(seq.Content[0])
	if got := strings.Join(c.named, ","); got != "data,logs" {
		t.Errorf("got named volumes %s, want data,logs", got)
	}
}
