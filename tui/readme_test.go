package tui

import (
	"fmt"
	"os"
	"sort"
	"strings"
	"testing"
)

const (
	readmePath  = "../README.md"
	keysBegin   = "<!-- keys: generated from tui/keys.go; go test ./tui -run TestReadmeKeys -update rewrites it -->"
	keysEnd     = "<!-- /keys -->"
	readmeKeysW = 100
)

// readmeKeys is the README's key block, generated from the key table: every
// key by scope, with the action name the config file's keys section uses,
// and the palette's commands.
func readmeKeys(km keyMap) string {
	var b strings.Builder
	b.WriteString("```text\n")
	for _, sc := range scopes {
		fmt.Fprintf(&b, "%s\n", scopeNames[sc])
		for _, k := range km.bindings {
			if k.scope == sc && len(k.keys) > 0 {
				fmt.Fprintf(&b, "  %-14s %-15s %s\n", strings.Join(k.keys, " "), k.action, k.help)
			}
		}
	}
	verbs := make([]string, 0)
	for name := range km.paletteVerbs() {
		verbs = append(verbs, name)
	}
	sort.Strings(verbs)
	b.WriteString("Commands (" + km.keysFor(actPalette) + ", Tab completes; a service name may follow)\n")
	for _, l := range packWords(verbs, readmeKeysW-2, " ") {
		b.WriteString("  " + l + "\n")
	}
	b.WriteString("```\n")
	return b.String()
}

// TestReadmeKeys fails when the README's key block differs from the key
// table, so the documentation cannot drift from what the screen does.
func TestReadmeKeys(t *testing.T) {
	data, err := os.ReadFile(readmePath)
	if err != nil {
		t.Fatal(err)
	}
	text := string(data)
	i, j := strings.Index(text, keysBegin), strings.Index(text, keysEnd)
	if i < 0 || j < i {
		t.Fatalf("%s has no block between %q and %q", readmePath, keysBegin, keysEnd)
	}
	got := text[i+len(keysBegin)+1 : j]
	want := readmeKeys(testKeys)
	if got == want {
		return
	}
	if *update {
		text = text[:i+len(keysBegin)+1] + want + text[j:]
		if err := os.WriteFile(readmePath, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	t.Errorf("the README's key block differs from the key table (go test ./tui -run TestReadmeKeys -update):\ngot:\n%s\nwant:\n%s", got, want)
}
