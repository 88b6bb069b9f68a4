package templates

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"strings"

	ocispec "github.com/opencontainers/image-spec/specs-go/v1"
	"oras.land/oras-go/v2"
	"oras.land/oras-go/v2/content"
	"oras.land/oras-go/v2/registry/remote"
	"oras.land/oras-go/v2/registry/remote/auth"
	"oras.land/oras-go/v2/registry/remote/credentials"
)

// Media types of a template stored as an OCI artifact: one layer, the .tgz.
const (
	artifactType   = "application/vnd.devstack.template.v1"
	layerMediaType = "application/vnd.devstack.template.layer.v1.tar+gzip"
)

// maxManifestBytes bounds an OCI manifest read from a registry.
const maxManifestBytes = 4 << 20

// PushOptions tune a push.
type PushOptions struct {
	// PlainHTTP talks to the registry without TLS; registries on a
	// loopback address always are.
	PlainHTTP bool
	// HTTPClient is the transport (default: the http package's).
	HTTPClient *http.Client
}

// PushResult says where a package went.
type PushResult struct {
	// Refs are the references pushed (the tag given, or VERSION and latest).
	Refs []string
	// Digest is the manifest's digest.
	Digest string
}

// Push stores a template package in an OCI registry as an artifact. ref is
// REGISTRY/REPOSITORY[:TAG]; without a tag the template's version and
// "latest" are tagged. Credentials come from the docker config
// ($DOCKER_CONFIG or ~/.docker/config.json), as `docker login` wrote them.
func Push(ctx context.Context, file, ref string, opts PushOptions) (PushResult, error) {
	res, err := push(ctx, file, strings.TrimPrefix(ref, "oci://"), opts)
	if err != nil {
		return PushResult{}, fmt.Errorf("push %s to %s: %w", file, ref, err)
	}
	return res, nil
}

func push(ctx context.Context, file, ref string, opts PushOptions) (PushResult, error) {
	data, err := os.ReadFile(file)
	if err != nil {
		return PushResult{}, err
	}
	t, err := unpack(bytes.NewReader(data), DefaultLimits)
	if err != nil {
		return PushResult{}, err
	}
	if err := check(ctx, t); err != nil {
		return PushResult{}, err
	}
	repo, err := repository(ref, opts.PlainHTTP, opts.HTTPClient)
	if err != nil {
		return PushResult{}, err
	}
	tags := []string{repo.Reference.Reference}
	if tags[0] == "" {
		tags = []string{t.Manifest.Version, "latest"}
	} else if strings.Contains(tags[0], ":") {
		return PushResult{}, errors.New("push needs a tag, not a digest")
	}
	layer := content.NewDescriptorFromBytes(layerMediaType, data)
	layer.Annotations = map[string]string{ocispec.AnnotationTitle: t.Manifest.Name + "-" + t.Manifest.Version + ".tgz"}
	if ok, err := repo.Exists(ctx, layer); err != nil || !ok {
		if err := repo.Push(ctx, layer, bytes.NewReader(data)); err != nil {
			return PushResult{}, fmt.Errorf("upload the package: %w", err)
		}
	}
	desc, err := oras.PackManifest(ctx, repo, oras.PackManifestVersion1_1, artifactType, oras.PackManifestOptions{
		Layers: []ocispec.Descriptor{layer},
		ManifestAnnotations: map[string]string{
			ocispec.AnnotationTitle:       t.Manifest.Name,
			ocispec.AnnotationVersion:     t.Manifest.Version,
			ocispec.AnnotationDescription: t.Manifest.Description,
			ocispec.AnnotationCreated:     packTime.Format("2006-01-02T15:04:05Z"),
		},
	})
	if err != nil {
		return PushResult{}, fmt.Errorf("write the manifest: %w", err)
	}
	res := PushResult{Digest: desc.Digest.String()}
	for _, tag := range tags {
		if err := repo.Tag(ctx, desc, tag); err != nil {
			return PushResult{}, fmt.Errorf("tag %s: %w", tag, err)
		}
		res.Refs = append(res.Refs, repo.Reference.Registry+"/"+repo.Reference.Repository+":"+tag)
	}
	return res, nil
}

// fetchOCI reads a template artifact: the manifest (bounded), then the one
// layer of the template media type, both checked against their digests.
func fetchOCI(ctx context.Context, ref string, opts OpenOptions) (*Template, error) {
	repo, err := repository(ref, opts.PlainHTTP, opts.HTTPClient)
	if err != nil {
		return nil, err
	}
	reference := repo.Reference.Reference
	if reference == "" {
		reference = "latest"
	}
	desc, rc, err := repo.FetchReference(ctx, reference)
	if err != nil {
		return nil, err
	}
	defer rc.Close()
	if desc.Size > maxManifestBytes {
		return nil, fmt.Errorf("%w: manifest of %d bytes", ErrTooLarge, desc.Size)
	}
	raw, err := content.ReadAll(rc, desc)
	if err != nil {
		return nil, fmt.Errorf("read the manifest: %w", err)
	}
	var m ocispec.Manifest
	if err := json.Unmarshal(raw, &m); err != nil {
		return nil, fmt.Errorf("read the manifest: %w", err)
	}
	if m.ArtifactType != artifactType {
		return nil, fmt.Errorf("%s is not a devstack template (artifact type %q)", ref, m.ArtifactType)
	}
	lim := opts.limits()
	for _, l := range m.Layers {
		if l.MediaType != layerMediaType {
			continue
		}
		if l.Size > lim.MaxTotal {
			return nil, fmt.Errorf("%w: package of %d bytes", ErrTooLarge, l.Size)
		}
		blob, err := repo.Fetch(ctx, l)
		if err != nil {
			return nil, fmt.Errorf("fetch the package: %w", err)
		}
		defer blob.Close()
		data, err := content.ReadAll(blob, l)
		if err != nil {
			return nil, fmt.Errorf("fetch the package: %w", err)
		}
		return unpack(bytes.NewReader(data), lim)
	}
	return nil, fmt.Errorf("%s has no layer of type %s", ref, layerMediaType)
}

// repository connects to REGISTRY/REPOSITORY with the user's credentials.
func repository(ref string, plainHTTP bool, client *http.Client) (*remote.Repository, error) {
	repo, err := remote.NewRepository(ref)
	if err != nil {
		return nil, fmt.Errorf("reference %q: %w", ref, err)
	}
	repo.PlainHTTP = plainHTTP || isLoopback(repo.Reference.Host())
	ac := &auth.Client{Client: client, Cache: auth.NewCache()}
	ac.SetUserAgent("devstack")
	if store, err := credentials.NewStoreFromDocker(credentials.StoreOptions{}); err == nil {
		ac.Credential = credentials.Credential(store)
	}
	repo.Client = ac
	return repo, nil
}

// isLoopback reports whether host[:port] is this machine.
func isLoopback(hostport string) bool {
	host := hostport
	if h, _, err := net.SplitHostPort(hostport); err == nil {
		host = h
	}
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(strings.Trim(host, "[]"))
	return ip != nil && ip.IsLoopback()
}
