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
			return // Values refuses them before anything is written
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
