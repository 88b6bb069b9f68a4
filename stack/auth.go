package stack

import (
	"fmt"
	"strings"

	"github.com/distribution/reference"
	"github.com/google/go-containerregistry/pkg/authn"
	"github.com/google/go-containerregistry/pkg/name"
	"github.com/moby/moby/api/pkg/authconfig"
	"github.com/moby/moby/api/types/registry"
	ocispec "github.com/opencontainers/image-spec/specs-go/v1"
)

// dockerHubAuthKey is the key the docker CLI files Docker Hub's
// credentials under, for historical reasons.
const dockerHubAuthKey = "https://index.docker.io/v1/"

// ImageRef is an image reference as the engine reads it: `mariadb:11.4` is
// docker.io/library/mariadb:11.4, whose credentials the docker CLI keeps
// under https://index.docker.io/v1/.
type ImageRef struct {
	// Original is the reference as written.
	Original string
	// Canonical is the fully qualified form (docker.io/library/x:latest).
	Canonical string
	// Registry is the registry's host (docker.io, ghcr.io, localhost:5000).
	Registry string
	// Repository is the path within the registry (library/mariadb).
	Repository string
	// Tag and Digest are what the reference pins (the tag defaults to
	// latest when neither is written).
	Tag, Digest string
	// AuthKey is where the docker CLI's config.json files the registry's
	// credentials.
	AuthKey string
}

// parseImageRef reads an image reference with the rules the engine uses
// (github.com/distribution/reference), as `docker pull` would.
func parseImageRef(s string) (ImageRef, error) {
	named, err := reference.ParseNormalizedNamed(s)
	if err != nil {
		return ImageRef{}, fmt.Errorf("image reference %q: %w", s, err)
	}
	named = reference.TagNameOnly(named)
	r := ImageRef{Original: s, Canonical: named.String(), Registry: reference.Domain(named), Repository: reference.Path(named)}
	if t, ok := named.(reference.Tagged); ok {
		r.Tag = t.Tag()
	}
	if d, ok := named.(reference.Digested); ok {
		r.Digest = d.Digest().String()
	}
	r.AuthKey = authKey(r.Registry)
	return r, nil
}

// Hub reports whether the image lives on Docker Hub.
func (r ImageRef) Hub() bool { return r.AuthKey == dockerHubAuthKey }

// authKey is the config.json key of a registry's credentials.
func authKey(registryHost string) string {
	switch registryHost {
	case "docker.io", "index.docker.io", "registry-1.docker.io":
		return dockerHubAuthKey
	}
	return registryHost
}

// registryAuth finds the credentials the docker CLI would use for the
// image's registry (DOCKER_CONFIG or ~/.docker/config.json: auths,
// credsStore, credHelpers, identity tokens) through go-containerregistry's
// DefaultKeychain, and encodes them for the engine's X-Registry-Auth header.
// It also returns the secrets, so errors can be scrubbed of them. No
// credentials is not an error: the header is then empty.
func registryAuth(ref ImageRef) (header string, secrets []string, err error) {
	a, err := authn.DefaultKeychain.Resolve(authTarget(ref))
	if err != nil {
		return "", nil, fmt.Errorf("read the docker credentials for %s (config.json or its credential helper): %w", ref.Registry, err)
	}
	if a == authn.Anonymous {
		return "", nil, nil
	}
	cfg, err := a.Authorization()
	if err != nil {
		return "", nil, fmt.Errorf("read the docker credentials for %s: %w", ref.Registry, err)
	}
	for _, s := range []string{cfg.Password, cfg.Auth, cfg.IdentityToken, cfg.RegistryToken} {
		if s != "" {
			secrets = append(secrets, s)
		}
	}
	header, err = authconfig.Encode(registry.AuthConfig{
		Username: cfg.Username, Password: cfg.Password, Auth: cfg.Auth,
		IdentityToken: cfg.IdentityToken, RegistryToken: cfg.RegistryToken, ServerAddress: ref.AuthKey,
	})
	if err != nil {
		return "", nil, fmt.Errorf("encode the credentials for %s: %w", ref.Registry, err)
	}
	return header, append(secrets, header), nil
}

// authTarget is what the keychain looks credentials up by. It is not a
// go-containerregistry name.Repository because that refuses one-letter
// repositories (localhost:5000/x) that the engine accepts.
type authTarget ImageRef

func (t authTarget) String() string { return t.RegistryStr() + "/" + t.Repository }

// RegistryStr is the registry's host, with Docker Hub spelled the way the
// keychain maps to the CLI's https://index.docker.io/v1/ key.
func (t authTarget) RegistryStr() string {
	if ImageRef(t).Hub() {
		return name.DefaultRegistry
	}
	return t.Registry
}

// scrub replaces every secret in s.
func scrub(s string, secrets []string) string {
	for _, sec := range secrets {
		if len(sec) >= 4 {
			s = strings.ReplaceAll(s, sec, "***")
		}
	}
	return s
}

// parsePlatform reads a `platform:` value (os[/arch[/variant]]).
func parsePlatform(s string) (ocispec.Platform, error) {
	parts := strings.Split(strings.ToLower(strings.TrimSpace(s)), "/")
	if len(parts) > 3 || slicesHasEmpty(parts) {
		return ocispec.Platform{}, fmt.Errorf("platform %q: want os[/arch[/variant]], e.g. linux/amd64", s)
	}
	p := ocispec.Platform{OS: parts[0]}
	if len(parts) > 1 {
		// The engine reports Go's names; accept the kernel's too.
		p.Architecture = map[string]string{"x86_64": "amd64", "x86-64": "amd64", "aarch64": "arm64"}[parts[1]]
		if p.Architecture == "" {
			p.Architecture = parts[1]
		}
	}
	if len(parts) > 2 {
		p.Variant = parts[2]
	}
	return p, nil
}

func slicesHasEmpty(ss []string) bool {
	for _, s := range ss {
		if s == "" {
			return true
		}
	}
	return false
}
