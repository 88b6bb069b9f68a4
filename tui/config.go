package tui

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"

	"go.yaml.in/yaml/v3"
)

// Config is the user's config file (YAML under the XDG config folder):
//
//	theme: auto            # auto, dark or light
//	log_buffer: 10000      # log lines kept per service
//	shell:
//	  command: [bash, -l]  # default: bash when present, else sh
//	  user: root
//	keys:
//	  quit: [q, ctrl+c]    # action: key or list of keys (see ? help)
type Config struct {
	Theme     string             `yaml:"theme"`
	LogBuffer int                `yaml:"log_buffer"`
	Shell     ShellConfig        `yaml:"shell"`
	Keys      map[string]KeyList `yaml:"keys"`
}

// ShellConfig is the shell the s key opens.
type ShellConfig struct {
	Command []string `yaml:"command"`
	User    string   `yaml:"user"`
}

// KeyList is one key or a list of keys.
type KeyList []string

// UnmarshalYAML accepts a scalar or a sequence.
func (k *KeyList) UnmarshalYAML(n *yaml.Node) error {
	if n.Kind == yaml.ScalarNode {
		*k = KeyList{n.Value}
		return nil
	}
	var list []string
	if err := n.Decode(&list); err != nil {
		return err
	}
	*k = list
	return nil
}

// defaultConfig is what an absent file means: the screen's defaults, which
// Options.withDefaults holds.
func defaultConfig() Config {
	o := Options{}.withDefaults()
	return Config{Theme: o.Theme, LogBuffer: o.LogBuffer}
}

// DefaultConfigPath is $XDG_CONFIG_HOME/devstack/config.yaml (on Linux
// ~/.config when XDG_CONFIG_HOME is unset; os.UserConfigDir elsewhere).
func DefaultConfigPath() (string, error) {
	dir := os.Getenv("XDG_CONFIG_HOME")
	if dir == "" {
		home, err := os.UserHomeDir()
		if err != nil {
			return "", fmt.Errorf("config path: %w", err)
		}
		dir = filepath.Join(home, ".config")
	}
	return filepath.Join(dir, "devstack", "config.yaml"), nil
}

// LoadConfig reads the config file; a missing file gives the defaults.
// Errors name the file and line.
func LoadConfig(path string) (Config, error) {
	c := defaultConfig()
	data, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		return c, nil
	}
	if err != nil {
		return c, fmt.Errorf("read config %s: %w", path, err)
	}
	var root yaml.Node
	if err := yaml.Unmarshal(data, &root); err != nil {
		return c, yamlError(path, err)
	}
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(&c); err != nil && !errors.Is(err, io.EOF) {
		return defaultConfig(), yamlError(path, err)
	}
	return c, c.validate(path, &root)
}

var yamlLine = regexp.MustCompile(`^yaml: (?:unmarshal errors:\n\s*)?line (\d+): (.*)$`)

var unknownField = regexp.MustCompile(`^field (\S+) not found in type`)

// yamlError rewrites "yaml: line 3: msg" as "file:3: msg".
func yamlError(path string, err error) error {
	if m := yamlLine.FindStringSubmatch(err.Error()); m != nil {
		msg := m[2]
		if u := unknownField.FindStringSubmatch(msg); u != nil {
			msg = fmt.Sprintf("unknown key %q", u[1])
		}
		return fmt.Errorf("%s:%s: %s", path, m[1], msg)
	}
	return fmt.Errorf("%s: %w", path, err)
}

func (c Config) validate(path string, root *yaml.Node) error {
	at := func(format string, keys ...string) error {
		return fmt.Errorf("%s:%d: %s", path, lineOf(root, keys...), fmt.Sprintf(format, keys[len(keys)-1]))
	}
	switch c.Theme {
	case ThemeAuto, ThemeDark, ThemeLight:
	default:
		return fmt.Errorf("%s:%d: theme: %q is not auto, dark or light", path, lineOf(root, "theme"), c.Theme)
	}
	if c.LogBuffer < 100 || c.LogBuffer > 1_000_000 {
		return fmt.Errorf("%s:%d: log_buffer: %d is out of range (100 to 1000000 lines)", path, lineOf(root, "log_buffer"), c.LogBuffer)
	}
	known := map[string]bool{}
	for _, n := range actionNames() {
		known[n] = true
	}
	for name, keys := range c.Keys {
		if !known[name] {
			return at("keys: unknown action %q (the README's key table names every action)", "keys", name)
		}
		if len(keys) == 0 {
			return at("keys: %s has no key", "keys", name)
		}
	}
	return nil
}

// lineOf finds the line of a key path in a YAML document (0 if absent).
func lineOf(root *yaml.Node, keys ...string) int {
	n := root
	if n.Kind == yaml.DocumentNode && len(n.Content) > 0 {
		n = n.Content[0]
	}
	line := 0
	for _, k := range keys {
		if n.Kind != yaml.MappingNode {
			return line
		}
		found := false
		for i := 0; i+1 < len(n.Content); i += 2 {
			if n.Content[i].Value == k {
				line, n, found = n.Content[i].Line, n.Content[i+1], true
				break
			}
		}
		if !found {
			return line
		}
	}
	return line
}

// Options turns the config into screen options on top of o.
func (c Config) Options(o Options) Options {
	if c.Theme != "" {
		o.Theme = c.Theme
	}
	if c.LogBuffer > 0 {
		o.LogBuffer = c.LogBuffer
	}
	if len(c.Shell.Command) > 0 {
		o.Shell = c.Shell.Command
	}
	if c.Shell.User != "" {
		o.ShellUser = c.Shell.User
	}
	if len(c.Keys) > 0 {
		o.Keys = map[string][]string{}
		for k, v := range c.Keys {
			o.Keys[k] = v
		}
	}
	return o
}
