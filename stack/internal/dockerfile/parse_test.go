package dockerfile

import (
	"strings"
	"testing"
)

func TestParseRejectsBadEscape(t *testing.T) {
	_, err := Parse([]byte("# escape=x\nFROM local/busybox\n"))
	if err == nil || !strings.Contains(err.Error(), "line 1: invalid escape directive") {
		t.Errorf("got %v, want an invalid escape directive error on line 1", err)
	}
	// A directive after a blank line is only a comment.
	df, err := Parse([]byte("\n# escape=x\nFROM local/busybox\n"))
	if err != nil || df.Escape != '\\' {
		t.Errorf("late directive: got %v, escape %q; want it ignored", err, df.Escape)
	}
}
