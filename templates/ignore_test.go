package templates

import (
	"math/rand/v2"
	"testing"

	"github.com/moby/patternmatcher"
)

// TestIgnoreMatchesPatternmatcher checks the port against the original
// (a test-only import: the layering rule is about templates' own code).
func TestIgnoreMatchesPatternmatcher(t *testing.T) {
	patternSets := [][]string{
		{"node_modules", "*.log"},
		{"big", "!big/keep.txt"},
		{"**/*.go", "!vendor/**"},
		{"**/secret", "docs/**"},
		{"**foo"},
		{"a/*/c", "a?b", "[a-c]x", `x\*y`},
		{"./build/", "/abs", "dir/**", "!dir/sub/**/keep"},
		{".env*", "!.env.example"},
		{"*", "!README.md"},
		{"a/**/b/**"},
	}
	files := []string{
		"node_modules", "node_modules/x.js", "debug.log", "a/debug.log", "big/a", "big/keep.txt",
		"main.go", "cmd/x/main.go", "vendor/m/x.go", "secret", "deep/down/secret", "docs/a/b.md",
		"barfoo", "x/foo", "a/b/c", "a/b/c/d", "axb", "ax", "bx", "x*y", "xzy", "build", "build/out",
		"abs", "dir/sub/x/keep", "dir/sub/keep", "dir/other", ".env", ".env.example", ".env.local",
		"README.md", "src/README.md", "a/x/b/y", "a/b/z",
	}
	for _, patterns := range patternSets {
		want, err := patternmatcher.New(patterns)
		if err != nil {
			t.Fatal(err)
		}
		got, err := newIgnoreMatcher(patterns)
		if err != nil {
			t.Fatalf("%v: %v", patterns, err)
		}
		if got.exclusions != want.Exclusions() {
			t.Errorf("%v: exclusions %v, want %v", patterns, got.exclusions, want.Exclusions())
		}
		for _, f := range files {
			w, _ := want.MatchesOrParentMatches(f)
			if g := got.matches(f); g != w {
				t.Errorf("%v on %q: got %v, want %v", patterns, f, g, w)
			}
		}
	}
}

// TestIgnoreRandomPatterns compares both on generated patterns.
func TestIgnoreRandomPatterns(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	parts := []string{"a", "b", "*", "**", "?", "x.y", "[ab]", "!", "/", "c*", "*d"}
	paths := []string{"a", "b", "a/b", "a/b/c", "x.y", "a/x.y", "cd", "c/d", "ab/cd/ef", "b/a/b"}
	for range 3000 {
		var p string
		for range 1 + r.IntN(4) {
			p += parts[r.IntN(len(parts))]
		}
		want, werr := patternmatcher.New([]string{p})
		got, gerr := newIgnoreMatcher([]string{p})
		if (werr == nil) != (gerr == nil) {
			t.Fatalf("%q: error %v, want %v", p, gerr, werr)
		}
		if werr != nil {
			continue
		}
		for _, f := range paths {
			w, _ := want.MatchesOrParentMatches(f)
			if g := got.matches(f); g != w {
				t.Errorf("%q on %q: got %v, want %v", p, f, g, w)
			}
		}
	}
}
