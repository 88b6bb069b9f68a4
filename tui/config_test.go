package tui

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

func writeConfig(t *testing.T, text string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "config.yaml")
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestLoadConfigMissingGivesDefaults(t *testing.T) {
	c, err := LoadConfig(filepath.Join(t.TempDir(), "nope.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(c, defaultConfig()) {
		t.Errorf("got %+v, want defaults", c)
	}
}

func TestLoadConfig(t *testing.T) {
	path := writeConfig(t, `
theme: light
log_buffer: 5000
shell:
  command: [bash, -l]
  user: root
keys:
  quit: Q
  rebuild: [B, ctrl+b]
`)
	c, err := LoadConfig(path)
	if err != nil {
		t.Fatal(err)
	}
	want := Config{Theme: "light", LogBuffer: 5000, Shell: ShellConfig{Command: []string{"bash", "-l"}, User: "root"},
		Keys: map[string]KeyList{"quit": {"Q"}, "rebuild": {"B", "ctrl+b"}}}
	if !reflect.DeepEqual(c, want) {
		t.Errorf("got %+v\nwant %+v", c, want)
	}
	o := c.Options(Options{})
	if o.Theme != "light" || o.LogBuffer != 5000 || o.ShellUser != "root" || !reflect.DeepEqual(o.Shell, []string{"bash", "-l"}) ||
		!reflect.DeepEqual(o.Keys["rebuild"], []string{"B", "ctrl+b"}) {
		t.Errorf("options %+v", o)
	}
}

func TestLoadConfigErrorsNameFileAndLine(t *testing.T) {
	cases := []struct {
		name, text, want string
	}{
		{"syntax", "theme: dark\n\tlog_buffer: 10\n", ":2: found a tab character"},
		{"unknown key", "theme: dark\nlogbuffer: 10\n", `:2: unknown key "logbuffer"`},
		{"bad theme", "log_buffer: 1000\ntheme: purple\n", `:2: theme: "purple" is not auto, dark or light`},
		{"bad buffer", "log_buffer: 5\n", ":1: log_buffer: 5 is out of range"},
		{"bad type", "log_buffer: lots\n", ":1: cannot unmarshal"},
		{"unknown action", "keys:\n  quit: q\n  explode: x\n", `:3: keys: unknown action "explode"`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			path := writeConfig(t, c.text)
			_, err := LoadConfig(path)
			if err == nil || !strings.HasPrefix(err.Error(), path+":") || !strings.Contains(err.Error(), c.want) {
				t.Errorf("error %v, want %s%s…", err, path, c.want)
			}
		})
	}
}

func TestDefaultConfigPath(t *testing.T) {
	t.Setenv("XDG_CONFIG_HOME", "/xdg")
	if p, _ := DefaultConfigPath(); p != "/xdg/devstack/config.yaml" {
		t.Errorf("with XDG_CONFIG_HOME: %s", p)
	}
	t.Setenv("XDG_CONFIG_HOME", "")
	t.Setenv("HOME", "/home/u")
	if p, _ := DefaultConfigPath(); p != "/home/u/.config/devstack/config.yaml" {
		t.Errorf("without XDG_CONFIG_HOME: %s", p)
	}
}

func TestLoadConfigEmptyFile(t *testing.T) {
	for _, text := range []string{"", "# only a comment\n"} {
		c, err := LoadConfig(writeConfig(t, text))
		if err != nil || !reflect.DeepEqual(c, defaultConfig()) {
			t.Errorf("%q: %+v, %v; want defaults", text, c, err)
		}
	}
}
