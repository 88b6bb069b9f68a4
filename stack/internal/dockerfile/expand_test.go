package dockerfile

import "testing"

func TestExpand(t *testing.T) {
	vars := map[string]string{"A": "a", "EMPTY": "", "N1": "n"}
	tests := []struct{ in, want string }{
		{"$A/${A}", "a/a"},
		{"${MISSING:-def}", "def"},
		{"${EMPTY:-def}", "def"},
		{"${EMPTY-def}", ""},
		{"${MISSING-def}", "def"},
		{"${A:+alt}", "alt"},
		{"${EMPTY:+alt}", ""},
		{"${EMPTY+alt}", "alt"},
		{"${MISSING:-${A}x}", "ax"},
		{`\$A`, "$A"},
		{"$N1-$", "n-$"},
		{"${unterminated", "${unterminated"},
	}
	for _, tt := range tests {
		if got := expand(tt.in, vars, '\\'); got != tt.want {
			t.Errorf("expand(%q): got %q, want %q", tt.in, got, tt.want)
		}
	}
}
