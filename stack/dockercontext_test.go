package stack

import (
	"crypto/sha256"
	"encoding/hex"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// writeDockerContext lays out a docker CLI config folder with one context, the
// way `docker context create` stores it.
func writeDockerContext(t *testing.T, dir, name, host string) {
	t.Helper()
	sum := sha256.Sum256([]byte(name))
	meta := filepath.Join(dir, "contexts", "meta", hex.EncodeToString(sum[:]))
	if err := os.MkdirAll(meta, 0o755); err != nil {
		t.Fatal(err)
	}
	body := `{"Name":"` + name + `","Metadata":{},"Endpoints":{"docker":{"Host":"` + host + `","SkipTLSVerify":false}}}`
	if err := os.WriteFile(filepath.Join(meta, "meta.json"), []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
}

func TestResolveHostFromContext(t *testing.T) {
	dir := t.TempDir()
	writeDockerContext(t, dir, "remote", "ssh://dev@build-box")
	t.Setenv("DOCKER_CONFIG", dir)
	t.Setenv("DOCKER_HOST", "")
	t.Setenv("DOCKER_CONTEXT", "")

	if err := os.WriteFile(filepath.Join(dir, "config.json"), []byte(`{"currentContext":"remote"}`), 0o644); err != nil {
		t.Fatal(err)
	}
	if got, err := resolveHost(""); err != nil || got != "ssh://dev@build-box" {
		t.Errorf("current context: got %q, %v; want ssh://dev@build-box", got, err)
	}
	t.Setenv("DOCKER_HOST", "tcp://10.0.0.1:2375")
	if got, _ := resolveHost(""); got != "tcp://10.0.0.1:2375" {
		t.Errorf("DOCKER_HOST should win over the context, got %q", got)
	}
	if got, _ := resolveHost("unix:///x.sock"); got != "unix:///x.sock" {
		t.Errorf("an explicit host should win, got %q", got)
	}
	t.Setenv("DOCKER_HOST", "")
	t.Setenv("DOCKER_CONTEXT", "default")
	if got, _ := resolveHost(""); !strings.HasPrefix(got, "unix://") {
		t.Errorf("DOCKER_CONTEXT=default should use the default socket, got %q", got)
	}
	t.Setenv("DOCKER_CONTEXT", "missing")
	if _, err := resolveHost(""); err == nil || !strings.Contains(err.Error(), `docker context "missing"`) {
		t.Errorf("an unknown context should say so, got %v", err)
	}
}
