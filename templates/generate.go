package templates

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"

	"github.com/devstack/devstack/stack"
)

// secretWords in a variable name mark its value as a credential when a
// manifest is generated.
var secretWords = []string{"PASS", "SECRET", "TOKEN", "KEY", "CREDENTIAL", "AUTH", "PRIVATE", "SALT", "CERT", "DSN"}

// folderManifest reads the folder's manifest (returned as written, so its
// comments travel too), or generates one, after loading the stack to find
// its bind mounts: those outside the folder are reported; those inside
// are data.
func folderManifest(ctx context.Context, root string, rep *PackReport) (Manifest, []byte, error) {
	compose := ""
	for _, n := range composeNames {
		if fi, err := os.Stat(filepath.Join(root, n)); err == nil && fi.Mode().IsRegular() {
			compose = n
			break
		}
	}
	if compose == "" {
		return Manifest{}, nil, fmt.Errorf("%w in %s (looked for %s)", ErrNoCompose, root, strings.Join(composeNames, ", "))
	}
	p, err := stack.Load(ctx, stack.LoadOptions{
		WorkingDir:  root,
		Files:       []string{filepath.Join(root, compose)},
		ProjectName: normalizeProjectName(filepath.Base(root)),
	})
	if err != nil {
		return Manifest{}, nil, fmt.Errorf("the compose file does not load: %w", err)
	}
	for _, w := range p.Warnings {
		rep.Warnings = append(rep.Warnings, strings.ReplaceAll(w.String(), root+string(filepath.Separator), ""))
	}
	data := bindMounts(root, p, rep)
	var redacted []string
	for _, f := range p.ConfigFiles {
		raw, err := os.ReadFile(f)
		if err != nil {
			continue
		}
		rep.secretFiles = append(rep.secretFiles, composeSecretFiles(raw)...)
		rel, ok := within(root, f)
		if !ok {
			continue
		}
		clean, keys, err := redactLiteralSecrets(rel, raw)
		if err != nil {
			return Manifest{}, nil, err
		}
		if len(keys) > 0 {
			if rep.rewritten == nil {
				rep.rewritten = map[string]rewrite{}
			}
			rep.rewritten[rel] = rewrite{data: clean, keys: keys}
			redacted = append(redacted, keys...)
		}
	}
	raw, err := os.ReadFile(filepath.Join(root, ManifestFile))
	if err == nil {
		m, err := parseManifest(raw)
		for _, k := range redacted {
			if _, ok := m.Option(k); !ok && err == nil {
				rep.Warnings = append(rep.Warnings, fmt.Sprintf("%s was taken out of the compose file as ${%s}: add it to %s's options (secret: true) so init asks for it", k, k, ManifestFile))
			}
		}
		return m, raw, err
	}
	if !errors.Is(err, fs.ErrNotExist) {
		return Manifest{}, nil, err
	}
	m, err := generateManifest(root, data)
	if err != nil {
		return Manifest{}, nil, err
	}
	for _, k := range redacted {
		if _, dup := m.Option(k); !dup {
			m.Options = append(m.Options, Option{Key: k, Secret: true})
		}
	}
	rep.ManifestGenerated = true
	raw, err = m.Marshal()
	return m, raw, err
}

// bindMounts reports bind mounts of paths outside root (left out, with a
// warning) and returns those inside it, relative.
func bindMounts(root string, p *stack.Project, rep *PackReport) []string {
	inside := map[string]bool{}
	services := append(append([]stack.Service(nil), p.Services...), p.Inactive...)
	var contexts []string
	for _, s := range services {
		if s.Build != nil {
			contexts = append(contexts, s.Build.Context)
		}
	}
	for _, s := range services {
		for _, m := range s.Mounts {
			if m.Kind != stack.MountBind || m.Source == "" {
				continue
			}
			if rel, ok := within(root, m.Source); ok {
				// Code mounted from a build context is code, not data.
				if rel != "." && !slices.ContainsFunc(contexts, func(c string) bool { _, in := within(c, m.Source); return in }) {
					inside[rel] = true
				}
				continue
			}
			reason := fmt.Sprintf("bind mount of service %s (%s:%s) is outside the folder: not packed; the compose file still mounts it, so each user needs their own", s.Name, m.Source, m.Target)
			rep.LeftOut = append(rep.LeftOut, LeftOut{Path: m.Source, Reason: reason})
			rep.Warnings = append(rep.Warnings, reason)
		}
	}
	var out []string
	for k := range inside {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// within reports whether p lies in dir, and its slash path relative to it.
func within(dir, p string) (string, bool) {
	rel, err := filepath.Rel(dir, p)
	if err != nil || rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator)) || filepath.IsAbs(rel) {
		return "", false
	}
	return filepath.ToSlash(rel), true
}

// generateManifest makes a manifest for a folder that has none: the name
// from the folder, options from the .env keys (credential-looking values
// are not kept as defaults), and the bind-mounted paths as data.
func generateManifest(root string, data []string) (Manifest, error) {
	m := Manifest{
		Name:        manifestName(filepath.Base(root)),
		Description: "Packed from the folder " + filepath.Base(root),
		Version:     "0.1.0",
		Data:        data,
	}
	env, err := os.ReadFile(filepath.Join(root, ".env"))
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return Manifest{}, err
	}
	values := envValues(env)
	for _, k := range envKeys(env) {
		if _, dup := m.Option(k); dup || !keyRE.MatchString(k) {
			continue
		}
		o := Option{Key: k, Secret: looksSecret(k)}
		if !o.Secret {
			o.Default = values[k]
		}
		if strings.IndexFunc(o.Default, isControl) >= 0 {
			o.Default = ""
		}
		m.Options = append(m.Options, o)
	}
	return m, m.validate()
}

func looksSecret(key string) bool {
	up := strings.ToUpper(key)
	for _, w := range secretWords {
		if strings.Contains(up, w) {
			return true
		}
	}
	return false
}

// manifestName makes a folder name a valid template name.
func manifestName(folder string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(folder) {
		switch {
		case (r >= 'a' && r <= 'z') || (r >= '0' && r <= '9') || r == '.' || r == '_' || r == '-':
			b.WriteRune(r)
		default:
			b.WriteRune('-')
		}
	}
	s := strings.TrimLeft(b.String(), "-._")
	if len(s) > 64 {
		s = s[:64]
	}
	if s == "" {
		return "stack"
	}
	return s
}
