package stack

import (
	"errors"
	"strings"
	"testing"

	"github.com/moby/moby/api/types/container"
)

func TestCheckServicesForVerbs(t *testing.T) {
	p := &Project{Name: "demo", Services: []Service{{Name: "web"}, {Name: "db"}}, Inactive: []Service{{Name: "debug"}}}
	onEngine := []container.Summary{
		{Labels: map[string]string{labelProject: "demo", labelService: "web"}},
		{Labels: map[string]string{labelProject: "demo", labelService: "cache"}},
	}
	tests := []struct {
		name     string
		p        *Project
		services []string
		want     string // "" for no error
	}{
		{"declared", p, []string{"web", "db"}, ""},
		{"behind a profile", p, []string{"debug"}, ""},
		{"none asked", p, nil, ""},
		{"mistyped", p, []string{"web", "wbe"}, `no such service "wbe" in project demo: its services are db, debug, web`},
		{"from labels", nil, []string{"cache"}, ""},
		{"mistyped, labels", nil, []string{"db"}, `no such service "db" in project demo: its services are cache, web`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			engine := onEngine
			if tt.p != nil {
				engine = nil
			}
			err := tt.p.checkServices(tt.services, engine)
			switch {
			case tt.want == "" && err != nil:
				t.Errorf("got %v, want no error", err)
			case tt.want != "" && (err == nil || err.Error() != tt.want || !errors.Is(err, ErrUnknownService)):
				t.Errorf("got %v, want %q wrapping ErrUnknownService", err, tt.want)
			}
		})
	}
	err := (*Project)(nil).checkServices([]string{"web"}, nil)
	if err == nil || !strings.Contains(err.Error(), "has no services") {
		t.Errorf("a project with no containers: got %v, want a sentence saying it has no services", err)
	}
}

func TestSplitCopyArg(t *testing.T) {
	tests := []struct{ arg, service, path string }{
		{"web:/etc/hosts", "web", "/etc/hosts"},
		{"web-2:/data", "web-2", "/data"},
		{"/abs/path:with-colon", "", "/abs/path:with-colon"},
		{"./file:name.txt", "", "./file:name.txt"},
		{"relative", "", "relative"},
		{"-", "", "-"},
	}
	for _, tt := range tests {
		if s, p := splitCopyArg(tt.arg); s != tt.service || p != tt.path {
			t.Errorf("splitCopyArg(%q) = %q, %q; want %q, %q", tt.arg, s, p, tt.service, tt.path)
		}
	}
}
