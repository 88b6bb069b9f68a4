package composeload

import (
	"reflect"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/compose-spec/compose-go/v2/types"

	"github.com/devstack/devstack/stack/internal/confighash"
)

// TestUnsupportedKeysWarn checks that every key devstack does not honour
// yet is reported with service, key and file:line, and nothing else is:
// platform, file secrets and fixed addresses are applied by up, so they
// must not warn.
func TestUnsupportedKeysWarn(t *testing.T) {
	r := loadDir(t, absPath(t, "testdata/unsupported"))
	var got []string
	for _, w := range r.Warnings {
		got = append(got, w.File+":"+strconv.Itoa(w.Line)+" "+w.Service+" "+w.Key)
	}
	sort.Strings(got)
	want := []string{
		"compose.yaml:11 app deploy.placement",
		"compose.yaml:7 app pre_start",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("got warnings\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	for _, w := range r.Warnings {
		if !strings.Contains(w.String(), "services."+w.Service+"."+w.Key+": not honoured by devstack") {
			t.Errorf("warning text %q does not name the key and say it is not honoured", w.String())
		}
	}
}

// TestServiceKeysCoverCompose keeps the table complete: every key compose-go
// can marshal for a service is either honoured or known not to be.
func TestServiceKeysCoverCompose(t *testing.T) {
	for _, key := range confighash.ServiceKeys() {
		if _, ok := serviceKeys[key]; !ok {
			t.Errorf("service key %q is not in serviceKeys: decide whether up honours it", key)
		}
	}
}

// TestBuildKeysCoverCompose keeps the build table complete: every key of
// compose-go's build section is either honoured or known not to be, and a
// key that is not honoured is warned about with file:line.
func TestBuildKeysCoverCompose(t *testing.T) {
	bt := reflect.TypeFor[types.BuildConfig]()
	for i := range bt.NumField() {
		key, _, _ := strings.Cut(bt.Field(i).Tag.Get("yaml"), ",")
		if _, ok := buildKeys[key]; !ok && key != "" && !strings.HasPrefix(key, "#") {
			t.Errorf("build key %q is not in buildKeys: decide whether builds honour it", key)
		}
	}
	r := loadYAML(t, "services:\n  app:\n    build:\n      context: .\n      sbom: true\n      target: dev\n")
	var got []string
	for _, w := range r.Warnings {
		got = append(got, w.File+":"+strconv.Itoa(w.Line)+" "+w.Service+" "+w.Key)
	}
	if want := []string{"compose.yaml:5 app build.sbom"}; !slices.Equal(got, want) {
		t.Errorf("got warnings %q, want %q", got, want)
	}
}
