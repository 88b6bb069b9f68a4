package templates

import (
	"errors"
	"fmt"
	"path"
	"sort"
	"strings"
)

// Errors about option values; test with errors.Is.
var (
	// ErrUnknownOption means a value was given for a key the template
	// does not declare.
	ErrUnknownOption = errors.New("unknown template option")
	// ErrMissingValue means a required option has no value and no default.
	ErrMissingValue = errors.New("template option needs a value")
)

// resolveValues resolves the values Init writes: the given ones, then each
// option's default. It fails on keys the template does not declare, on
// multi-line values and on required options left empty.
func resolveValues(m Manifest, given map[string]string) (map[string]string, error) {
	values := make(map[string]string, len(m.Options))
	for _, k := range sortedKeys(given) {
		if _, ok := m.Option(k); !ok {
			return nil, fmt.Errorf("option %s: %w (the template %s has %s)", k, ErrUnknownOption, m.Name, optionKeys(m))
		}
		if strings.ContainsAny(given[k], "\n\r\x00") {
			return nil, fmt.Errorf("option %s: the value must be one line", k)
		}
	}
	var missing []string
	for _, o := range m.Options {
		v, ok := given[o.Key]
		if !ok {
			v = o.Default
		}
		if v == "" && o.Required {
			missing = append(missing, o.Key)
		}
		values[o.Key] = v
	}
	if len(missing) > 0 {
		return nil, fmt.Errorf("%w: %s (use --set KEY=VALUE)", ErrMissingValue, strings.Join(missing, ", "))
	}
	return values, nil
}

func optionKeys(m Manifest) string {
	if len(m.Options) == 0 {
		return "no options"
	}
	keys := make([]string, len(m.Options))
	for i, o := range m.Options {
		keys[i] = o.Key
	}
	return "options " + strings.Join(keys, ", ")
}

// ParseSet reads --set flags ("KEY=value") into a map; a key given twice
// keeps its last value, as flags usually do.
func ParseSet(flags []string) (map[string]string, error) {
	out := make(map[string]string, len(flags))
	for _, f := range flags {
		k, v, ok := strings.Cut(f, "=")
		if !ok || !keyRE.MatchString(k) {
			return nil, fmt.Errorf("--set %q: write KEY=value", f)
		}
		out[k] = v
	}
	return out, nil
}

// outFile is one file, folder or link Init writes, under its final name.
type outFile struct {
	name   string
	kind   entryKind
	mode   uint32
	data   []byte
	link   string
	secret bool // env files: written 0600
}

// plan turns the template's entries and the values into the files to
// write: env examples filled in under their real names, .env from the
// options.
func plan(t *Template, values map[string]string) []outFile {
	order := make([]string, len(t.Manifest.Options))
	for i, o := range t.Manifest.Options {
		order[i] = o.Key
	}
	var out []outFile
	wroteDotEnv := false
	for _, e := range t.entries {
		// The manifest is written too: the stack keeps its name, options
		// and secret declarations for the next pack.
		f := outFile{name: writtenName(e), kind: e.kind, data: e.data, link: e.link, mode: 0o644}
		if e.exec || e.kind == kindDir {
			f.mode = 0o755
		}
		if e.kind == kindFile && isEnvFileName(path.Base(f.name)) {
			isDotEnv := f.name == ".env"
			f.data = fillEnv(e.data, values, order, isDotEnv)
			f.secret, f.mode = true, 0o600
			wroteDotEnv = wroteDotEnv || isDotEnv
		}
		out = append(out, f)
	}
	if !wroteDotEnv {
		out = append(out, outFile{name: ".env", kind: kindFile, mode: 0o600, secret: true,
			data: renderDotEnv(t.Manifest.Options, values)})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].name < out[j].name })
	return out
}
