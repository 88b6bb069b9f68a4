package templates

import (
	"bytes"
	"errors"
	"fmt"
	"regexp"
	"strings"

	"go.yaml.in/yaml/v3"
)

// ManifestFile is the name of a template's manifest, at the root of the
// template folder and first in a package.
const ManifestFile = "devstack-template.yaml"

// Manifest describes a template: what it is, the options it asks for (they
// become the stack's .env file) and which of its files are data.
type Manifest struct {
	Name        string
	Description string
	Version     string
	// Options become KEY=value lines of the .env file next to the compose
	// file; compose's own interpolation does the rest.
	Options []Option
	// Data are the paths (or patterns, in .dockerignore syntax) of files
	// that are development data rather than code: seed SQL, fixtures.
	Data []string
}

// Option is one value a template asks for.
type Option struct {
	// Key is the variable name in .env.
	Key     string
	Default string
	Help    string
	// Secret values are masked when asked for, and blanked when a .env
	// holding them is packed. A key is secret unless the manifest says
	// `secret: false`.
	Secret bool
	// Required options must have a value: a default or one given at init.
	Required bool
}

// manifestYAML is the file format; Secret is a pointer so that a missing
// key can mean "secret".
type manifestYAML struct {
	Name        string       `yaml:"name"`
	Description string       `yaml:"description,omitempty"`
	Version     string       `yaml:"version"`
	Options     []optionYAML `yaml:"options,omitempty"`
	Data        []string     `yaml:"data,omitempty"`
}

type optionYAML struct {
	Key      string `yaml:"key"`
	Default  string `yaml:"default,omitempty"`
	Help     string `yaml:"help,omitempty"`
	Secret   *bool  `yaml:"secret,omitempty"`
	Required bool   `yaml:"required,omitempty"`
}

var (
	nameRE = regexp.MustCompile(`^[a-z0-9][a-z0-9._-]{0,63}$`)
	keyRE  = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]{0,127}$`)
)

// ErrInvalidManifest means a manifest is missing a field or has a bad one.
var ErrInvalidManifest = errors.New("invalid template manifest")

// parseManifest reads and validates a manifest.
func parseManifest(data []byte) (Manifest, error) {
	var raw manifestYAML
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(&raw); err != nil {
		return Manifest{}, fmt.Errorf("%s: %w: %w", ManifestFile, ErrInvalidManifest, err)
	}
	m := Manifest{Name: raw.Name, Description: raw.Description, Version: raw.Version, Data: raw.Data}
	for _, o := range raw.Options {
		m.Options = append(m.Options, Option{
			Key: o.Key, Default: o.Default, Help: o.Help,
			Secret: o.Secret == nil || *o.Secret, Required: o.Required,
		})
	}
	if err := m.validate(); err != nil {
		return Manifest{}, err
	}
	return m, nil
}

// validate checks the fields a package needs to be usable and safe.
func (m Manifest) validate() error {
	bad := func(format string, a ...any) error {
		return fmt.Errorf("%s: %w: %s", ManifestFile, ErrInvalidManifest, fmt.Sprintf(format, a...))
	}
	if !nameRE.MatchString(m.Name) {
		return bad("name %q: use lower-case letters, digits, '.', '_' and '-' (at most 64)", m.Name)
	}
	if m.Version == "" || len(m.Version) > 64 || strings.ContainsAny(m.Version, " /\\") || strings.IndexFunc(m.Version, isControl) >= 0 {
		return bad("version %q: give a version such as 1.0.0", m.Version)
	}
	if strings.IndexFunc(m.Description, isControlInText) >= 0 {
		return bad("description holds a control character")
	}
	seen := map[string]bool{}
	for _, o := range m.Options {
		if !keyRE.MatchString(o.Key) {
			return bad("option key %q is not a valid environment variable name", o.Key)
		}
		if seen[o.Key] {
			return bad("option %s is declared twice", o.Key)
		}
		seen[o.Key] = true
		if strings.IndexFunc(o.Default, isControl) >= 0 || strings.IndexFunc(o.Help, isControlInText) >= 0 {
			return bad("option %s: the default must be one line, the help plain text", o.Key)
		}
	}
	for _, d := range m.Data {
		if err := checkRelPath(d); err != nil {
			return bad("data %q: %v", d, err)
		}
	}
	return nil
}

// Marshal renders the manifest as YAML, writing `secret:` explicitly for
// every option so the file says what will be blanked.
func (m Manifest) Marshal() ([]byte, error) {
	raw := manifestYAML{Name: m.Name, Description: m.Description, Version: m.Version, Data: m.Data}
	for _, o := range m.Options {
		secret := o.Secret
		raw.Options = append(raw.Options, optionYAML{
			Key: o.Key, Default: o.Default, Help: o.Help, Secret: &secret, Required: o.Required,
		})
	}
	var buf bytes.Buffer
	enc := yaml.NewEncoder(&buf)
	enc.SetIndent(2)
	if err := enc.Encode(raw); err != nil {
		return nil, fmt.Errorf("write %s: %w", ManifestFile, err)
	}
	return buf.Bytes(), nil
}

// Option returns the option with that key.
func (m Manifest) Option(key string) (Option, bool) {
	for _, o := range m.Options {
		if o.Key == key {
			return o, true
		}
	}
	return Option{}, false
}
