package templates

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// ErrNoTemplate means a name matched no built-in or user template.
var ErrNoTemplate = errors.New("no such template")

// OpenOptions tune where and how Open fetches a template.
type OpenOptions struct {
	// UserDir is the user's template folder (see UserDir); names not
	// built in are looked up there.
	UserDir string
	// HTTPClient fetches https:// packages and talks to registries
	// (default: a client with a 2-minute timeout).
	HTTPClient *http.Client
	// PlainHTTP talks to an OCI registry without TLS; registries on a
	// loopback address always are.
	PlainHTTP bool
	// Limits bound the package (DefaultLimits when zero).
	Limits Limits
}

func (o OpenOptions) limits() Limits {
	if o.Limits == (Limits{}) {
		return DefaultLimits
	}
	return o.Limits
}

func (o OpenOptions) client() *http.Client {
	if o.HTTPClient != nil {
		return o.HTTPClient
	}
	return &http.Client{Timeout: 2 * time.Minute}
}

// Open finds a template and checks it: src is an oci://REF, an https://
// URL of a .tgz, a path to a .tgz, a path to a folder holding a manifest,
// a built-in name, or the name of a template in the user's folder.
func Open(ctx context.Context, src string, opts OpenOptions) (*Template, error) {
	t, err := open(ctx, src, opts)
	if err != nil {
		return nil, fmt.Errorf("open template %s: %w", src, err)
	}
	if t.Source == "" {
		t.Source = src
	}
	return t, nil
}

func open(ctx context.Context, src string, opts OpenOptions) (*Template, error) {
	switch {
	case strings.HasPrefix(src, "oci://"):
		return fetchOCI(ctx, strings.TrimPrefix(src, "oci://"), opts)
	case strings.HasPrefix(src, "https://"):
		return download(ctx, src, opts)
	case strings.HasPrefix(src, "http://"):
		return nil, errors.New("templates are fetched over https only")
	}
	if t, ok, err := openPath(ctx, src, opts); ok {
		return t, err
	}
	if nameRE.MatchString(src) {
		if t, err := builtin(src); err == nil {
			return t, nil
		} else if !errors.Is(err, fs.ErrNotExist) {
			return nil, err
		}
	}
	if opts.UserDir != "" && nameRE.MatchString(src) {
		for _, p := range []string{filepath.Join(opts.UserDir, src), filepath.Join(opts.UserDir, src+".tgz")} {
			if t, ok, err := openPath(ctx, p, opts); ok {
				return t, err
			}
		}
	}
	names, _ := builtins()
	var list []string
	for _, n := range names {
		list = append(list, n.Name)
	}
	return nil, fmt.Errorf("%w (built-in: %s; `devstack template list` shows all)", ErrNoTemplate, strings.Join(list, ", "))
}

// openPath opens a package file or a template folder; ok is false when
// nothing usable is at that path, so the caller tries names.
func openPath(ctx context.Context, p string, opts OpenOptions) (*Template, bool, error) {
	fi, err := os.Stat(p)
	if err != nil {
		return nil, false, nil
	}
	if fi.IsDir() {
		if _, err := os.Stat(filepath.Join(p, ManifestFile)); err != nil {
			return nil, false, nil
		}
		// A folder goes through pack in memory: the same ignore files,
		// secret blanking and link checks as a shared package.
		archive, _, err := packDir(ctx, p, "")
		if err != nil {
			return nil, true, err
		}
		t, err := unpack(bytes.NewReader(archive), opts.limits())
		return t, true, err
	}
	f, err := os.Open(p)
	if err != nil {
		return nil, true, err
	}
	defer f.Close()
	t, err := unpack(f, opts.limits())
	return t, true, err
}

// download fetches a package over https, reading at most the limit.
func download(ctx context.Context, url string, opts OpenOptions) (*Template, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return nil, err
	}
	resp, err := opts.client().Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("download: %s", resp.Status)
	}
	lim := opts.limits()
	body, err := io.ReadAll(io.LimitReader(resp.Body, lim.MaxTotal+1))
	if err != nil {
		return nil, fmt.Errorf("download: %w", err)
	}
	if int64(len(body)) > lim.MaxTotal {
		return nil, fmt.Errorf("download: %w: more than %d bytes", ErrTooLarge, lim.MaxTotal)
	}
	return unpack(bytes.NewReader(body), lim)
}
