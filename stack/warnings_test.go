package stack

import (
	"sort"
	"strconv"
	"strings"
	"testing"
)

// TestUnsupportedKeysWarn checks that every key devstack does not honour
// yet is reported with service, key and file:line, and nothing else is.
func TestUnsupportedKeysWarn(t *testing.T) {
	p := loadDir(t, absPath(t, "testdata/unsupported"))
	var got []string
	for _, w := range p.Warnings {
		got = append(got, w.File+":"+strconv.Itoa(w.Line)+" "+w.Service+" "+w.Key)
	}
	sort.Strings(got)
	want := []string{
		"compose.yaml:11 app deploy.placement",
		"compose.yaml:5 app platform",
		"compose.yaml:6 app secrets",
		"compose.yaml:7 app post_start",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("got warnings\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	for _, w := range p.Warnings {
		if !strings.Contains(w.String(), "services."+w.Service+"."+w.Key+": not honoured by devstack") {
			t.Errorf("warning text %q does not name the key and say it is not honoured", w.String())
		}
	}
}

// TestServiceKeysCoverCompose keeps the table complete: every key compose-go
// can marshal for a service is either honoured or known not to be.
func TestServiceKeysCoverCompose(t *testing.T) {
	for _, key := range hashKeyOrder {
		if _, ok := serviceKeys[key]; !ok {
			t.Errorf("service key %q is not in serviceKeys: decide whether up honours it", key)
		}
	}
}
