package composeload

import (
	"strings"
	"testing"
)

// TestComposeLogsBecomeWarnings checks that what compose-go logs (here an
// unset variable and the obsolete version key) comes back as warnings,
// placed where the variable is used, instead of being printed.
func TestComposeLogsBecomeWarnings(t *testing.T) {
	unsetEnv(t, "DEVSTACK_TEST_UNSET")
	r := loadYAML(t, "version: \"3.8\"\nservices:\n  app:\n    image: local/busybox\n    environment:\n      A: ${DEVSTACK_TEST_UNSET}\n")
	var unset, version bool
	for _, w := range r.Warnings {
		if strings.Contains(w.Message, `"DEVSTACK_TEST_UNSET" variable is not set`) {
			unset = true
			if w.File != "compose.yaml" || w.Line != 6 || w.Service != "app" || w.Key != "environment.A" {
				t.Errorf("unset variable warning placed at %s:%d %s %s, want compose.yaml:6 app environment.A", w.File, w.Line, w.Service, w.Key)
			}
		}
		version = version || strings.Contains(w.Message, "`version` is obsolete")
	}
	if !unset || !version {
		t.Errorf("got warnings %v, want the unset variable and the obsolete version", r.Warnings)
	}
}
