package templates

import (
	"strings"
	"testing"

	"github.com/compose-spec/compose-go/v2/dotenv"
)

// FuzzQuoteEnv checks .env values against compose's own reader (a
// test-only import): whatever a user types, compose must read back exactly
// that, with nothing expanded. Our own reader (used to fill examples) must
// agree.
func FuzzQuoteEnv(f *testing.F) {
	for _, s := range []string{"", "plain", "it's $5", `p"w\d#x`, "a $HOME b", "${X}", "'", `"`, `\`, "#", " lead", "trail ", "a\\nb", "$$"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, v string) {
		if strings.IndexFunc(v, isControl) >= 0 || !utf8Valid(v) {
			return // resolveValues refuses them before anything is written
		}
		line := "K=" + quoteEnv(v) + "\n"
		got, err := dotenv.UnmarshalBytesWithLookup([]byte(line), func(string) (string, bool) { return "", false })
		if err != nil {
			t.Fatalf("compose cannot read %q: %v", line, err)
		}
		want := v
		if referenceRE.MatchString(v) {
			want = "" // a reference stays a reference; with nothing set it is empty
		}
		if got["K"] != want {
			t.Fatalf("%q written as %q: compose reads %q", v, line, got["K"])
		}
		if own := envValues([]byte(line))["K"]; own != v {
			t.Fatalf("%q written as %q: we read %q", v, line, own)
		}
	})
}

func utf8Valid(s string) bool { return strings.ToValidUTF8(s, "\uFFFD") == s }

// FuzzBlankEnv checks the promise of pack: whatever an env file holds,
// compose reads no value from the blanked copy (references resolve to
// nothing here), and no commented-out value survives.
func FuzzBlankEnv(f *testing.F) {
	for _, s := range []string{
		"A=1\nB='two'\nC=\"th\nree\"\n",
		"# old\n#DB_PASSWORD=hunter2\nexport TOKEN: abc\n",
		"REF=${X}\nDEF=${X:-secret}\nBARE\n",
		"K=v # comment\nweird line\n=x\n",
	} {
		f.Add(s)
	}
	none := func(string) (string, bool) { return "", false }
	f.Fuzz(func(t *testing.T, data string) {
		if _, err := dotenv.UnmarshalWithLookup(data, none); err != nil {
			return // compose itself cannot read the original
		}
		out, _ := blankEnv([]byte(data), func(string) bool { return false })
		got, err := dotenv.UnmarshalBytesWithLookup(out, none)
		if err != nil {
			t.Fatalf("compose cannot read the blanked copy %q of %q: %v", out, data, err)
		}
		for k, v := range got {
			if v != "" {
				t.Fatalf("%s=%q survives in %q (from %q)", k, v, out, data)
			}
		}
		for _, line := range strings.Split(string(out), "\n") {
			if m := commentedRE.FindStringSubmatch(line); m != nil && line != m[1] {
				t.Fatalf("commented-out value survives: %q", line)
			}
		}
	})
}
