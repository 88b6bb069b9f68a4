package yamlpos

import (
	"reflect"
	"strings"
	"testing"
)

const base = `x-common: &common
  restart: always
services:
  web:
    <<: *common
    image: local/busybox
    ports:
      - "8080:80"
  db:
    image: local/db
`

const override = `services:
  web:
    image: local/other
`

// v1 keeps its services at the top level.
const legacy = `app:
  image: local/busybox
  mem_limit: 64m
`

func TestFind(t *testing.T) {
	files := Files{Parse("base.yml", []byte(base)), Parse("override.yml", []byte(override))}
	tests := []struct {
		path   string
		prefer string
		want   Position
	}{
		// The last file that has the key wins, unless one is preferred.
		{"services.web.image", "", Position{File: "override.yml", Line: 3, Depth: 3}},
		{"services.web.image", "base.yml", Position{File: "base.yml", Line: 6, Depth: 3}},
		// A key brought by a merge key is found at the anchor.
		{"services.web.restart", "", Position{File: "base.yml", Line: 2, Depth: 3}},
		{"services[web].ports[0]", "", Position{File: "base.yml", Line: 8, Depth: 4}},
		{"services.web.ports.8080", "", Position{File: "base.yml", Line: 8, Depth: 4}},
		// A missing key gives the deepest match; nothing gives depth 0.
		{"services.db.mem_limit", "", Position{File: "base.yml", Line: 9, Depth: 2}},
		{"volumes.data", "", Position{}},
	}
	for _, tt := range tests {
		got := files.Find(SplitPath(tt.path), tt.prefer)
		got.Node = nil
		if got != tt.want {
			t.Errorf("Find(%s, prefer %q): got %+v, want %+v", tt.path, tt.prefer, got, tt.want)
		}
	}
}

func TestFindLegacy(t *testing.T) {
	f := Parse("docker-compose.yml", []byte(legacy))
	f.Legacy = true
	files := Files{f}
	if got := files.Find(SplitPath("services.app.mem_limit"), ""); got.Line != 3 || got.Depth != 3 {
		t.Errorf("legacy key: got %s:%d depth %d, want line 3 depth 3", got.File, got.Line, got.Depth)
	}
	pos, path := files.FindValue([]string{"services", "*"}, "64m")
	if pos.Line != 3 || !reflect.DeepEqual(path, []string{"services", "app", "mem_limit"}) {
		t.Errorf("legacy value: got line %d path %v, want line 3 services.app.mem_limit", pos.Line, path)
	}
}

func TestFindValueUnderPrefix(t *testing.T) {
	files := Files{Parse("base.yml", []byte(base))}
	pos, path := files.FindValue([]string{"services", "*", "image"}, "local/db")
	if pos.File != "base.yml" || pos.Line != 10 || strings.Join(path, ".") != "services.db.image" {
		t.Errorf("got %s:%d %v, want base.yml:10 services.db.image", pos.File, pos.Line, path)
	}
	if pos, _ := files.FindValue([]string{"volumes"}, "local/db"); pos.Depth != 0 {
		t.Errorf("outside the prefix: got %+v, want not found", pos)
	}
	if f := Parse("bad.yml", []byte("services: [")); f.Root != nil {
		t.Errorf("a file that does not parse kept a tree")
	}
}
