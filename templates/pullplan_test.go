package templates

import (
	"encoding/base64"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/devstack/devstack/stack"
)

// TestBuiltinImagesResolve checks, without the network, that every image a
// built-in template names is a public image devstack can pull: the
// reference parses as the engine reads it, the platform (if any) parses,
// and the credentials lookup goes to the key the docker CLI files Docker
// Hub's under.
func TestBuiltinImagesResolve(t *testing.T) {
	cfg := t.TempDir()
	auth := base64.StdEncoding.EncodeToString([]byte("hubuser:hubpass"))
	if err := os.WriteFile(filepath.Join(cfg, "config.json"), []byte(fmt.Sprintf(`{"auths":{"https://index.docker.io/v1/":{"auth":%q}}}`, auth)), 0o600); err != nil {
		t.Fatal(err)
	}
	t.Setenv("DOCKER_CONFIG", cfg)
	want := map[string]string{"php-mariadb": "docker.io/library/mariadb:11.4", "go-mariadb": "docker.io/library/mariadb:11.4",
		"node-redis": "docker.io/library/redis:7-alpine"}
	for name, image := range want {
		t.Run(name, func(t *testing.T) {
			dir := filepath.Join(t.TempDir(), name)
			initBuiltin(t, name, dir, nil)
			p, err := stack.Load(t.Context(), stack.LoadOptions{WorkingDir: dir})
			if err != nil {
				t.Fatal(err)
			}
			plans, err := stack.PlanImages(p)
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, pl := range plans {
				got = append(got, pl.Ref.Canonical)
				if !pl.Ref.Hub() || pl.Ref.AuthKey != "https://index.docker.io/v1/" || !pl.HasCredentials {
					t.Errorf("%s: got registry %s, auth key %s, credentials %v; want Docker Hub's key with the test credentials",
						pl.Ref.Original, pl.Ref.Registry, pl.Ref.AuthKey, pl.HasCredentials)
				}
				if strings.HasPrefix(pl.Ref.Original, "local/") {
					t.Errorf("%s names a local fixture image, want a public one", pl.Ref.Original)
				}
				if pl.Platform.OS != "" {
					t.Errorf("%s asks for platform %v, want the engine's own", pl.Ref.Original, pl.Platform)
				}
			}
			if strings.Join(got, " ") != image {
				t.Errorf("got images %v, want %s", got, image)
			}
		})
	}
}

func TestPlanImagesRejectsBadPlatform(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "compose.yaml"), []byte("services:\n  db:\n    image: mariadb:11.4\n    platform: linux//arm64\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	p, err := stack.Load(t.Context(), stack.LoadOptions{WorkingDir: dir})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := stack.PlanImages(p); err == nil || !strings.Contains(err.Error(), "db") || !strings.Contains(err.Error(), "linux//arm64") {
		t.Errorf("got %v, want an error naming the service and the platform", err)
	}
}
