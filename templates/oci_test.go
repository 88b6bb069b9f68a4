package templates

import (
	"context"
	"path/filepath"
	"strings"
	"testing"

	"oras.land/oras-go/v2"

	"github.com/devstack/devstack/internal/testregistry"
)

// startRegistry runs the shared in-process registry (plain HTTP on
// 127.0.0.1, as loopback registries are) with no credentials from the
// machine, and returns its host:port.
func startRegistry(t *testing.T) string {
	t.Helper()
	t.Setenv("DOCKER_CONFIG", t.TempDir())
	return testregistry.Start(t, nil).Host
}

func TestPushAndInitFromRegistry(t *testing.T) {
	ctx := context.Background()
	host := startRegistry(t)
	pkg := packBuiltin(t, "php-mariadb")

	res, err := Push(ctx, pkg, host+"/team/shop", PushOptions{})
	if err != nil {
		t.Fatalf("push: %v", err)
	}
	want := host + "/team/shop:1.0.0 " + host + "/team/shop:latest"
	if got := strings.Join(res.Refs, " "); got != want || !strings.HasPrefix(res.Digest, "sha256:") {
		t.Fatalf("pushed %q %s; want %q and a digest", got, res.Digest, want)
	}
	for _, ref := range []string{"oci://" + host + "/team/shop:1.0.0", "oci://" + host + "/team/shop"} {
		tpl, err := Open(ctx, ref, OpenOptions{})
		if err != nil {
			t.Fatalf("open %s: %v", ref, err)
		}
		if tpl.Manifest.Name != "php-mariadb" || tpl.Source != ref {
			t.Fatalf("got %s from %s", tpl.Manifest.Name, tpl.Source)
		}
		dir := filepath.Join(t.TempDir(), "shop")
		if _, err := Init(ctx, tpl, dir, InitOptions{}); err != nil {
			t.Fatalf("init from %s: %v", ref, err)
		}
	}
	if _, err := Open(ctx, "oci://"+host+"/team/shop:nope", OpenOptions{}); err == nil {
		t.Error("a missing tag opened")
	}
}

func TestPushRefusesBadPackage(t *testing.T) {
	host := startRegistry(t)
	bad := filepath.Join(t.TempDir(), "bad.tgz")
	writeFiles(t, filepath.Dir(bad), map[string]string{"bad.tgz": "not a package"})
	if _, err := Push(context.Background(), bad, host+"/team/bad:1", PushOptions{}); err == nil {
		t.Fatal("pushed a file that is not a package")
	}
}

func TestIsLoopback(t *testing.T) {
	for host, want := range map[string]bool{
		"127.0.0.1:5000": true, "localhost:5000": true, "[::1]:5000": true, "localhost": true,
		"registry.test:5000": false, "10.0.0.1:5000": false,
	} {
		if got := isLoopback(host); got != want {
			t.Errorf("isLoopback(%q) = %v, want %v", host, got, want)
		}
	}
}

func TestOpenRefusesOtherArtifacts(t *testing.T) {
	ctx := context.Background()
	host := startRegistry(t)
	repo, err := repository(host+"/team/other", false, nil)
	if err != nil {
		t.Fatal(err)
	}
	desc, err := oras.PackManifest(ctx, repo, oras.PackManifestVersion1_1, "application/vnd.example.other.v1", oras.PackManifestOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if err := repo.Tag(ctx, desc, "1"); err != nil {
		t.Fatal(err)
	}
	_, err = Open(ctx, "oci://"+host+"/team/other:1", OpenOptions{})
	if err == nil || !strings.Contains(err.Error(), "not a devstack template") {
		t.Fatalf("got %v, want 'not a devstack template'", err)
	}
}
