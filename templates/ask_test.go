package templates

import (
	"bytes"
	"strings"
	"testing"
)

func TestAskPlain(t *testing.T) {
	opts := []Option{
		{Key: "HTTP_PORT", Default: "8080", Help: "Host port"},
		{Key: "DB_PASSWORD", Default: "dev", Secret: true, Required: true},
		{Key: "DB_NAME", Default: "app"},
	}
	var out bytes.Buffer
	in := strings.NewReader("9090\n\nshop\n")
	got, err := AskPlain(opts, map[string]string{"DB_PASSWORD": "given"}, in, &out)
	if err != nil {
		t.Fatalf("AskPlain: %v\n%s", err, out.String())
	}
	want := map[string]string{"HTTP_PORT": "9090", "DB_PASSWORD": "given", "DB_NAME": "shop"}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("%s: got %q, want %q\noutput:\n%s", k, got[k], v, out.String())
		}
	}
	if !strings.Contains(out.String(), "Host port") {
		t.Errorf("the help is not shown:\n%s", out.String())
	}
}
