package stack

import (
	"encoding/base64"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/distribution/reference"
	"github.com/moby/moby/api/pkg/authconfig"
)

var refCases = []struct {
	in                                   string
	canonical, registry, repo, tag, auth string
	digest                               string
}{
	{in: "x", canonical: "docker.io/library/x:latest", registry: "docker.io", repo: "library/x", tag: "latest", auth: dockerHubAuthKey},
	{in: "docker.io/library/x", canonical: "docker.io/library/x:latest", registry: "docker.io", repo: "library/x", tag: "latest", auth: dockerHubAuthKey},
	{in: "mariadb:11.4", canonical: "docker.io/library/mariadb:11.4", registry: "docker.io", repo: "library/mariadb", tag: "11.4", auth: dockerHubAuthKey},
	{in: "index.docker.io/o/x:1", canonical: "docker.io/o/x:1", registry: "docker.io", repo: "o/x", tag: "1", auth: dockerHubAuthKey},
	{in: "localhost:5000/x", canonical: "localhost:5000/x:latest", registry: "localhost:5000", repo: "x", tag: "latest", auth: "localhost:5000"},
	{in: "127.0.0.1:5000/a/b:t", canonical: "127.0.0.1:5000/a/b:t", registry: "127.0.0.1:5000", repo: "a/b", tag: "t", auth: "127.0.0.1:5000"},
	{in: "ghcr.io/o/x@sha256:" + strings.Repeat("a", 64), canonical: "ghcr.io/o/x@sha256:" + strings.Repeat("a", 64),
		registry: "ghcr.io", repo: "o/x", digest: "sha256:" + strings.Repeat("a", 64), auth: "ghcr.io"},
	{in: "ghcr.io/o/x:1@sha256:" + strings.Repeat("b", 64), canonical: "ghcr.io/o/x:1@sha256:" + strings.Repeat("b", 64),
		registry: "ghcr.io", repo: "o/x", tag: "1", digest: "sha256:" + strings.Repeat("b", 64), auth: "ghcr.io"},
}

func TestParseImageRef(t *testing.T) {
	for _, c := range refCases {
		t.Run(c.in, func(t *testing.T) {
			r, err := parseImageRef(c.in)
			if err != nil {
				t.Fatal(err)
			}
			got := [6]string{r.Canonical, r.Registry, r.Repository, r.Tag, r.Digest, r.AuthKey}
			want := [6]string{c.canonical, c.registry, c.repo, c.tag, c.digest, c.auth}
			if got != want {
				t.Errorf("got %q, want %q", got, want)
			}
		})
	}
	for _, bad := range []string{"", "UPPER", "x:", "a b", "x@sha256:short"} {
		if _, err := parseImageRef(bad); err == nil || !strings.Contains(err.Error(), fmt.Sprintf("%q", bad)) {
			t.Errorf("parseImageRef(%q): got %v, want an error naming it", bad, err)
		}
	}
}

// TestRegistryAuthLookup files credentials under the key the docker CLI
// uses for each registry and checks each reference finds its own, encoded
// for the engine.
func TestRegistryAuthLookup(t *testing.T) {
	var auths []string
	users := map[string]string{}
	for i, key := range []string{dockerHubAuthKey, "localhost:5000", "127.0.0.1:5000", "ghcr.io"} {
		users[key] = fmt.Sprintf("user%d", i)
		enc := base64.StdEncoding.EncodeToString([]byte(users[key] + ":pw"))
		auths = append(auths, fmt.Sprintf("%q:{\"auth\":%q}", key, enc))
	}
	dockerConfig(t, "{\"auths\":{"+strings.Join(auths, ",")+"}}")
	for _, c := range refCases {
		ref, err := parseImageRef(c.in)
		if err != nil {
			t.Fatal(err)
		}
		header, secrets, err := registryAuth(ref)
		if err != nil {
			t.Fatalf("%s: %v", c.in, err)
		}
		cfg, err := authconfig.Decode(header)
		if err != nil {
			t.Fatalf("%s: decode %q: %v", c.in, header, err)
		}
		if cfg.Username != users[c.auth] || cfg.Password != "pw" || cfg.ServerAddress != c.auth {
			t.Errorf("%s: got user %q server %q, want %s filed under %s", c.in, cfg.Username, cfg.ServerAddress, users[c.auth], c.auth)
		}
		if len(secrets) == 0 || scrub("x pw-"+header, secrets) == "x pw-"+header {
			t.Errorf("%s: the header is not among the secrets to scrub", c.in)
		}
	}
	// No entry: anonymous, no header.
	ref, _ := parseImageRef("quay.io/o/x")
	if header, _, err := registryAuth(ref); err != nil || header != "" {
		t.Errorf("quay.io without credentials: got %q, %v; want no header", header, err)
	}
}

func TestRegistryAuthHelperFailureNamesRegistry(t *testing.T) {
	dockerConfig(t, `{"credHelpers":{"ghcr.io":"devstack-absent-helper"}}`)
	ref, _ := parseImageRef("ghcr.io/o/x")
	_, _, err := registryAuth(ref)
	if err == nil || !strings.Contains(err.Error(), "ghcr.io") {
		t.Errorf("got %v, want an error naming ghcr.io", err)
	}
}

// FuzzParseImageRef checks parseImageRef against the engine's own name
// library: it never panics, and agrees with distribution/reference.
func FuzzParseImageRef(f *testing.F) {
	for _, c := range refCases {
		f.Add(c.in)
	}
	f.Add("docker.io/x")
	f.Add("a.b:1/c")
	f.Fuzz(func(t *testing.T, s string) {
		r, err := parseImageRef(s)
		named, rerr := reference.ParseNormalizedNamed(s)
		if (err == nil) != (rerr == nil) {
			t.Fatalf("%q: got err %v, reference says %v", s, err, rerr)
		}
		if err != nil {
			return
		}
		named = reference.TagNameOnly(named)
		if r.Canonical != named.String() || r.Registry != reference.Domain(named) || r.Repository != reference.Path(named) {
			t.Fatalf("%q: got %+v, reference says %s", s, r, named)
		}
		if r.Hub() != (r.Registry == "docker.io") {
			t.Fatalf("%q: auth key %s for registry %s", s, r.AuthKey, r.Registry)
		}
	})
}

func TestClassifyPullErrors(t *testing.T) {
	cases := []struct {
		msg  string
		want error
	}{
		{"manifest for mariadb:11.9 not found: manifest unknown: manifest unknown", ErrImageNotFound},
		{"pull access denied for nope, repository does not exist or may require 'docker login': denied: requested access to the resource is denied", ErrUnauthorized},
		{`Head "http://127.0.0.1:1/v2/x/manifests/v1": no basic auth credentials`, ErrUnauthorized},
		{"toomanyrequests: You have reached your pull rate limit. You may increase the limit by authenticating and upgrading: https://www.docker.com/increase-rate-limit", ErrRateLimited},
		{"no matching manifest for linux/arm64/v8 in the manifest list entries", ErrNoMatchingPlatform},
		{"image with reference x was found but does not match the specified platform: wanted linux/arm64, actual: linux/amd64", ErrNoMatchingPlatform},
		{"write /var/lib/docker/tmp/GetImageBlob1: no space left on device", ErrDiskFull},
		{"unexpected EOF", ErrTransferInterrupted},
		{`Get "https://registry-1.docker.io/v2/": dial tcp: lookup registry-1.docker.io: no such host`, ErrRegistryUnreachable},
		{`Get "http://127.0.0.1:1/v2/": dial tcp 127.0.0.1:1: connect: connection refused`, ErrRegistryUnreachable},
		{"something new", nil},
	}
	ref, _ := parseImageRef("mariadb:11.9")
	for _, c := range cases {
		e := imageError("pull", ref, []string{"db"}, "linux/arm64", errors.New(c.msg), nil)
		if e.Reason != c.want {
			t.Errorf("%q: got %v, want %v", c.msg, e.Reason, c.want)
		}
		if !strings.Contains(e.Error(), "mariadb:11.9") || !strings.Contains(e.Error(), "docker.io") {
			t.Errorf("%q: error %q does not name the image and the registry", c.msg, e)
		}
	}
	e := imageError("pull", ref, nil, "", errors.New("unauthorized: secret-token-123 rejected"), []string{"secret-token-123"})
	if strings.Contains(e.Error(), "secret-token-123") || !strings.Contains(e.Error(), "run `docker login`") {
		t.Errorf("got %q, want the secret scrubbed and docker login for Docker Hub", e)
	}
}

func TestParsePlatform(t *testing.T) {
	for in, want := range map[string]string{"linux": "linux//", "linux/amd64": "linux/amd64/", "Linux/x86_64": "linux/amd64/",
		"linux/arm/v7": "linux/arm/v7", "linux/aarch64": "linux/arm64/"} {
		p, err := parsePlatform(in)
		if got := p.OS + "/" + p.Architecture + "/" + p.Variant; err != nil || got != want {
			t.Errorf("%q: got %q %v, want %q", in, got, err, want)
		}
	}
	for _, bad := range []string{"", "linux//arm64", "a/b/c/d"} {
		if _, err := parsePlatform(bad); err == nil {
			t.Errorf("%q: got no error", bad)
		}
	}
}
