package templates

import (
	"errors"
	"path"
	"regexp"
	"strings"
)

// ignoreMatcher matches slash paths against .dockerignore patterns with the
// semantics of github.com/moby/patternmatcher (what docker build and
// compose use): patterns are cleaned, "!" excludes, "*" and "?" stop at
// "/", "**" crosses folders, and a path matches when it or one of its
// parent folders does. It is a port rather than an import because the
// layering rule keeps every github.com/moby package out of templates;
// ignore_test.go checks it against the original.
type ignoreMatcher struct {
	patterns   []ignorePattern
	exclusions bool
}

type ignoreKind uint8

const (
	ignoreExact ignoreKind = iota + 1
	ignorePrefix
	ignoreSuffix
	ignoreRegexp
)

type ignorePattern struct {
	text      string // cleaned, without "!"
	dirs      int    // path components of text
	exclusion bool
	kind      ignoreKind
	re        *regexp.Regexp
}

// newIgnoreMatcher compiles patterns; blank ones are skipped.
func newIgnoreMatcher(patterns []string) (*ignoreMatcher, error) {
	m := &ignoreMatcher{}
	for _, raw := range patterns {
		p := strings.TrimSpace(raw)
		if p == "" {
			continue
		}
		p = path.Clean(p)
		ip := ignorePattern{}
		if p[0] == '!' {
			if len(p) == 1 {
				return nil, errors.New(`illegal exclusion pattern: "!"`)
			}
			ip.exclusion, p = true, p[1:]
			m.exclusions = true
		}
		if _, err := path.Match(p, "."); err != nil {
			return nil, err
		}
		ip.text, ip.dirs = p, len(strings.Split(p, "/"))
		if err := ip.compile(); err != nil {
			return nil, err
		}
		m.patterns = append(m.patterns, ip)
	}
	return m, nil
}

// matches reports whether the slash path, or a folder above it, is
// ignored; later patterns override earlier ones, as in .dockerignore.
func (m *ignoreMatcher) matches(file string) bool {
	matched := false
	parent := path.Dir(file)
	parentDirs := strings.Split(parent, "/")
	for _, p := range m.patterns {
		if p.exclusion != matched {
			continue
		}
		match := p.match(file)
		if !match && parent != "." {
			for i := range parentDirs {
				if match = p.match(strings.Join(parentDirs[:i+1], "/")); match {
					break
				}
			}
		}
		if match {
			matched = !p.exclusion
		}
	}
	return matched
}

func (p *ignorePattern) match(file string) bool {
	switch p.kind {
	case ignoreExact:
		return file == p.text
	case ignorePrefix:
		return strings.HasPrefix(file, p.text[:len(p.text)-2])
	case ignoreSuffix:
		suffix := p.text[2:]
		return strings.HasSuffix(file, suffix) || (suffix[0] == '/' && file == suffix[1:])
	}
	return p.re.MatchString(file)
}

// compile turns the pattern into the cheapest matcher that fits, the same
// way patternmatcher does, including its quirks (a leading "**" with a
// literal rest is a plain suffix test).
func (p *ignorePattern) compile() error {
	var re strings.Builder
	re.WriteString("^")
	kind := ignoreExact
	runes := []rune(p.text)
	for i := 0; i < len(runes); i++ {
		ch := runes[i]
		switch {
		case ch == '*' && i+1 < len(runes) && runes[i+1] == '*':
			first := i == 0
			i++
			if i+1 < len(runes) && runes[i+1] == '/' {
				i++
			}
			switch {
			case i+1 >= len(runes) && kind == ignoreExact:
				kind = ignorePrefix
			case i+1 >= len(runes):
				re.WriteString(".*")
				kind = ignoreRegexp
			default:
				re.WriteString("(.*/)?")
				kind = ignoreRegexp
			}
			if first {
				kind = ignoreSuffix
			}
		case ch == '*':
			re.WriteString("[^/]*")
			kind = ignoreRegexp
		case ch == '?':
			re.WriteString("[^/]")
			kind = ignoreRegexp
		case strings.ContainsRune(".+()|{}$", ch):
			re.WriteString(`\` + string(ch))
		case ch == '\\':
			if i+1 < len(runes) {
				i++
				re.WriteString(`\` + string(runes[i]))
				kind = ignoreRegexp
			} else {
				re.WriteString(`\`)
			}
		case ch == '[' || ch == ']':
			re.WriteRune(ch)
			kind = ignoreRegexp
		default:
			re.WriteRune(ch)
		}
	}
	p.kind = kind
	if kind != ignoreRegexp {
		return nil
	}
	compiled, err := regexp.Compile(re.String() + "$")
	if err != nil {
		return err
	}
	p.re = compiled
	return nil
}
