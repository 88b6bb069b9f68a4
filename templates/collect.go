package templates

import (
	"bufio"
	"bytes"
	"cmp"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"

	"github.com/moby/patternmatcher"
)

// ignoreFiles are read for patterns, in .dockerignore syntax.
var ignoreFiles = []string{".dockerignore", ".devstackignore"}

// alwaysIgnored never belong in a package: version control, and what init
// and pack leave behind while they work.
var alwaysIgnored = []string{".git", ".hg", ".svn", ".devstack-init-*", ".devstack-pack-*"}

// secretNames are files that hold credentials whatever their content.
var secretNames = []string{
	"id_rsa", "id_rsa.*", "id_dsa", "id_dsa.*", "id_ecdsa", "id_ecdsa.*", "id_ed25519", "id_ed25519.*",
	"*.pem", "*.key", "*.p12", "*.pfx", "*.keystore", "*.jks",
	".netrc", ".pgpass", ".my.cnf", ".git-credentials", ".npmrc", ".pypirc", "credentials", "credentials.json",
	".htpasswd", "known_hosts", "authorized_keys",
}

// privateKeyMarker appears in every PEM/OpenSSH private key.
var privateKeyMarker = []byte("PRIVATE KEY-----")

// collect walks the folder and returns what to pack, recording in rep what
// was packed, changed or left out.
func collect(root string, m Manifest, skip string, rep *PackReport) ([]entry, error) {
	pm, err := folderIgnores(root)
	if err != nil {
		return nil, err
	}
	always, err := patternmatcher.New(alwaysIgnored)
	if err != nil {
		return nil, err
	}
	keep := func(key string) bool {
		o, ok := m.Option(key)
		return ok && !o.Secret
	}
	var files []entry
	ignoredDirs := map[string]bool{}
	err = filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(root, p)
		if err != nil || rel == "." || rel == ManifestFile {
			// The manifest is written first, from what was parsed.
			return err
		}
		rel = filepath.ToSlash(rel)
		if reason := ignoreReason(root, p, rel, skip, always, pm); reason != "" {
			// Below an ignored folder (walked only because of "!"
			// exclusions) the folder's line says it all.
			if !ignoredDirs[path.Dir(rel)] {
				rep.LeftOut = append(rep.LeftOut, LeftOut{rel, reason})
			}
			if d.IsDir() {
				if ignored(always, rel) || !pm.Exclusions() {
					return filepath.SkipDir
				}
				ignoredDirs[rel] = true
			}
			return nil
		}
		e, ok, err := collectOne(p, rel, d, keep, rep)
		if err != nil || !ok {
			return err
		}
		files = append(files, e)
		return nil
	})
	if err != nil {
		return nil, err
	}
	files = dropLinkChains(files, rep)
	return files, checkSize(files, rep)
}

// dropLinkChains leaves out links whose target goes through another link:
// the unpacker refuses them, since where they land depends on the order
// links are made.
func dropLinkChains(files []entry, rep *PackReport) []entry {
	links := map[string]bool{}
	for _, f := range files {
		links[f.name] = f.kind == kindSymlink
	}
	out := files[:0]
	for _, f := range files {
		if f.kind == kindSymlink {
			walked, _ := insidePath(path.Dir(f.name), f.link)
			if slices.ContainsFunc(walked, func(p string) bool { return links[p] }) {
				rep.LeftOut = append(rep.LeftOut, LeftOut{f.name, "symlink to " + f.link + ", which goes through another symlink"})
				rep.Files = slices.DeleteFunc(rep.Files, func(pf PackedFile) bool { return pf.Path == f.name })
				continue
			}
		}
		out = append(out, f)
	}
	return out
}

// checkSize fails early, naming the largest files, when the package would
// exceed what unpack accepts.
func checkSize(files []entry, rep *PackReport) error {
	var total int64
	for _, f := range files {
		total += int64(len(f.data))
	}
	big := slices.Clone(rep.Files)
	slices.SortFunc(big, func(a, b PackedFile) int { return cmp.Compare(b.Size, a.Size) })
	if len(big) > 3 {
		big = big[:3]
	}
	var names []string
	for _, f := range big {
		names = append(names, fmt.Sprintf("%s (%d bytes)", f.Path, f.Size))
	}
	lim := DefaultLimits
	if total > lim.MaxTotal || (len(big) > 0 && big[0].Size > lim.MaxFile) || len(files)+1 > lim.MaxFiles {
		return fmt.Errorf("%w: %d files, %d bytes (at most %d files, %d bytes, %d per file); the largest: %s; list what to leave out in .devstackignore",
			ErrTooLarge, len(files), total, lim.MaxFiles, lim.MaxTotal, lim.MaxFile, strings.Join(names, ", "))
	}
	return nil
}

// ignoreReason says why a walked path stays out of the package, or "".
func ignoreReason(root, p, rel, skip string, always, pm *patternmatcher.PatternMatcher) string {
	switch {
	case p == skip:
		return "the package being written"
	case ignored(always, rel):
		return "version control or devstack work files are never packed"
	case ignored(pm, rel):
		return "matches .dockerignore or .devstackignore"
	case shadowedExample(root, rel, pm):
		return "replaced by the example made from " + strings.TrimSuffix(rel, exampleSuffix)
	}
	return ""
}

// collectOne turns one walked path into an entry, or reports why not.
func collectOne(p, rel string, d fs.DirEntry, keep func(string) bool, rep *PackReport) (entry, bool, error) {
	info, err := d.Info()
	if err != nil {
		return entry{}, false, err
	}
	switch mode := info.Mode(); {
	case mode.IsDir():
		return entry{name: rel, kind: kindDir}, true, nil
	case mode&fs.ModeSymlink != 0:
		return collectLink(p, rel, rep)
	case !mode.IsRegular():
		rep.LeftOut = append(rep.LeftOut, LeftOut{rel, "not a regular file (" + mode.Type().String() + ")"})
		return entry{}, false, nil
	}
	if matchesSecretName(path.Base(rel)) {
		rep.LeftOut = append(rep.LeftOut, LeftOut{rel, "looks like a private key or credentials file"})
		return entry{}, false, nil
	}
	data, err := os.ReadFile(p)
	if err != nil {
		return entry{}, false, err
	}
	if bytes.Contains(data, privateKeyMarker) {
		rep.LeftOut = append(rep.LeftOut, LeftOut{rel, "holds a private key"})
		return entry{}, false, nil
	}
	e := entry{name: rel, kind: kindFile, data: data, exec: info.Mode()&0o111 != 0}
	note := ""
	if rw, ok := rep.rewritten[rel]; ok {
		e.data, note = rw.data, "credentials written in the file replaced by variables: "+strings.Join(rw.keys, ", ")
	} else if matchesAny(rep.secretFiles, rel) {
		// Compose needs the file to exist; its content is the secret.
		e.data, note = nil, "compose secret: packed empty, each user writes their own"
	} else if isEnvFileName(path.Base(rel)) {
		var blanked []string
		e.data, blanked = blankEnv(data, keep)
		e.name, e.exec = rel+exampleSuffix, false
		note = "env file packed as " + e.name
		if len(blanked) > 0 {
			note += "; blanked " + strings.Join(blanked, ", ")
		}
	}
	rep.Files = append(rep.Files, PackedFile{Path: e.name, Size: int64(len(e.data)), Data: matchesAny(rep.Manifest.Data, rel), Note: note})
	return e, true, nil
}

// collectLink keeps links that stay inside the folder, relative.
func collectLink(p, rel string, rep *PackReport) (entry, bool, error) {
	target, err := os.Readlink(p)
	if err != nil {
		return entry{}, false, err
	}
	if checkLinkTarget(rel, filepath.ToSlash(target)) != nil {
		rep.LeftOut = append(rep.LeftOut, LeftOut{rel, "symlink to " + target + ", outside the folder"})
		return entry{}, false, nil
	}
	rep.Files = append(rep.Files, PackedFile{Path: rel, Note: "symlink to " + target})
	return entry{name: rel, kind: kindSymlink, link: filepath.ToSlash(target)}, true, nil
}

// shadowedExample reports whether rel is an X.example that pack will make
// from the env file X, which then replaces it.
func shadowedExample(root, rel string, pm *patternmatcher.PatternMatcher) bool {
	src, ok := strings.CutSuffix(rel, exampleSuffix)
	if !ok || !isEnvFileName(path.Base(src)) || ignored(pm, src) {
		return false
	}
	fi, err := os.Lstat(filepath.Join(root, filepath.FromSlash(src)))
	return err == nil && fi.Mode().IsRegular()
}

// ignored reports whether the slash path rel, or a folder above it, matches
// the .dockerignore-style patterns of pm (the matcher docker build and
// compose use). New has checked the patterns' syntax; a pattern that still
// fails to compile counts as a match, so it leaves files out rather than
// packing them.
func ignored(pm *patternmatcher.PatternMatcher, rel string) bool {
	m, err := pm.MatchesOrParentMatches(rel)
	return m || err != nil
}

// folderIgnores reads the folder's ignore files.
func folderIgnores(root string) (*patternmatcher.PatternMatcher, error) {
	var patterns []string
	for _, name := range ignoreFiles {
		data, err := os.ReadFile(filepath.Join(root, name))
		if err != nil {
			continue
		}
		sc := bufio.NewScanner(bytes.NewReader(data))
		sc.Buffer(nil, 1<<20)
		for n := 1; sc.Scan(); n++ {
			line := strings.TrimSpace(sc.Text())
			if line == "" || strings.HasPrefix(line, "#") {
				continue
			}
			// Checked one by one so a bad pattern is named with its line,
			// not reported as "syntax error in pattern" for the whole file.
			if _, err := patternmatcher.New([]string{line}); err != nil {
				return nil, fmt.Errorf("%s:%d: pattern %q: %w (patterns use .dockerignore syntax)", name, n, line, err)
			}
			patterns = append(patterns, line)
		}
		if err := sc.Err(); err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
	}
	pm, err := patternmatcher.New(patterns)
	if err != nil {
		return nil, fmt.Errorf("ignore patterns: %w", err)
	}
	return pm, nil
}

func matchesSecretName(base string) bool {
	for _, p := range secretNames {
		if ok, _ := path.Match(p, base); ok {
			return true
		}
	}
	return false
}
