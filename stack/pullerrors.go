package stack

import (
	"errors"
	"fmt"
	"strings"

	cerrdefs "github.com/containerd/errdefs"
)

// Sentinel reasons an image transfer fails for; an *ImageError wraps one,
// so callers choose words with errors.Is.
var (
	ErrImageNotFound       = errors.New("not found")
	ErrUnauthorized        = errors.New("unauthorized")
	ErrRegistryUnreachable = errors.New("registry unreachable")
	ErrRateLimited         = errors.New("rate limited")
	ErrNoMatchingPlatform  = errors.New("no matching platform")
	ErrDiskFull            = errors.New("disk full")
	ErrTransferInterrupted = errors.New("connection dropped")
	ErrPullPolicyNever     = errors.New("absent and pull_policy is never")
)

// ImageError is a failed pull or push: which image, from which registry,
// why, and what to do. Detail is the engine's own message, scrubbed of
// credentials.
type ImageError struct {
	Op       string // "pull" or "push"
	Image    string
	Registry string
	Services []string
	Platform string
	Reason   error // one of the sentinels above, or nil when unknown
	Detail   string
}

func (e *ImageError) Error() string {
	reg := e.Registry
	dir := "from"
	if e.Op == "push" {
		dir = "to"
	}
	what := fmt.Sprintf("%s %s %s %s", e.Op, e.Image, dir, reg)
	if len(e.Services) > 0 {
		what += fmt.Sprintf(" (service %s)", strings.Join(e.Services, ", "))
	}
	hint := ""
	switch e.Reason {
	case ErrImageNotFound:
		hint = fmt.Sprintf("%s does not exist on %s; check the name and the tag", e.Image, reg)
	case ErrUnauthorized:
		hint = fmt.Sprintf("%s refused access; run `%s` (or check that the repository exists)", reg, loginCommand(reg))
	case ErrRegistryUnreachable:
		hint = fmt.Sprintf("cannot reach the registry %s; check the network, a proxy, or the registry's name", reg)
	case ErrRateLimited:
		hint = fmt.Sprintf("%s is rate limiting pulls; wait, or run `%s` for a higher limit", reg, loginCommand(reg))
	case ErrNoMatchingPlatform:
		hint = fmt.Sprintf("%s has no image for platform %s; set `platform:` to one it provides", e.Image, orDefault(e.Platform, "of this engine"))
	case ErrDiskFull:
		hint = "the engine's disk is full; free space (docker system df shows what uses it)"
	case ErrTransferInterrupted:
		hint = fmt.Sprintf("the connection to %s dropped during the transfer; run it again", reg)
	case ErrPullPolicyNever:
		hint = fmt.Sprintf("%s is not present locally and pull_policy is never; pull it (devstack pull) or change pull_policy", e.Image)
	default:
		return fmt.Sprintf("%s: %s", what, e.Detail)
	}
	if e.Detail == "" {
		return fmt.Sprintf("%s: %s", what, hint)
	}
	return fmt.Sprintf("%s: %s (%s)", what, hint, e.Detail)
}

// Unwrap lets errors.Is find the reason.
func (e *ImageError) Unwrap() error { return e.Reason }

func loginCommand(reg string) string {
	if authKey(reg) == dockerHubAuthKey {
		return "docker login"
	}
	return "docker login " + reg
}

func orDefault(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

// imageError classifies an engine error of a transfer of ref. Engines
// return most registry failures as text in the progress stream, so the
// reason is read from the words distribution and containerd use, after
// the typed errors of the API's status code.
func imageError(op string, ref ImageRef, services []string, platform string, err error, secrets []string) *ImageError {
	detail := scrub(err.Error(), secrets)
	e := &ImageError{Op: op, Image: ref.Original, Registry: ref.Registry, Services: services, Platform: platform, Detail: detail}
	e.Reason = classify(err, strings.ToLower(detail))
	return e
}

func classify(err error, msg string) error {
	has := func(words ...string) bool {
		for _, w := range words {
			if strings.Contains(msg, w) {
				return true
			}
		}
		return false
	}
	switch {
	case has("toomanyrequests", "too many requests", "rate limit"):
		return ErrRateLimited
	case has("no space left on device", "disk quota exceeded"):
		return ErrDiskFull
	case has("no matching manifest", "does not match the specified platform", "no match for platform"):
		return ErrNoMatchingPlatform
	case has("unauthorized", "authentication required", "no basic auth credentials", "denied", "401"):
		return ErrUnauthorized
	case has("manifest unknown", "not found", "name unknown") || cerrdefs.IsNotFound(err):
		return ErrImageNotFound
	case has("unexpected eof", "connection reset", "broken pipe", "unexpected end", "short read", "expected http 206"):
		return ErrTransferInterrupted
	case has("connection refused", "no such host", "i/o timeout", "network is unreachable",
		"tls handshake timeout", "server misbehaving", "dial tcp", "request canceled while waiting for connection"):
		return ErrRegistryUnreachable
	case cerrdefs.IsUnauthorized(err) || cerrdefs.IsPermissionDenied(err):
		return ErrUnauthorized
	}
	return nil
}
