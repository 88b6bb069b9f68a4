package stack

import (
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"strconv"
	"sync"
	"time"

	bkclient "github.com/moby/buildkit/client"
	"github.com/moby/moby/client"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
)

// builderKind is which builder runs a service's build.
type builderKind int

const (
	// builderEngineBuildKit is the BuildKit the engine serves itself
	// through /grpc and /session, what buildx's "docker" driver uses.
	builderEngineBuildKit builderKind = iota
	// builderBuildx is the docker buildx plugin with a builder the user
	// selected (`docker buildx use`), run as a process.
	builderBuildx
	// builderClassic is the engine's deprecated /build builder, for
	// engines without BuildKit or DOCKER_BUILDKIT=0.
	builderClassic
)

// buildKitInfo is what devstack learned about the engine's BuildKit, once
// per Engine.
type buildKitInfo struct {
	// available is false when the engine does not serve BuildKit.
	available bool
	// version is the engine's BuildKit version ("v0.12.5"), or "" when the
	// engine's BuildKit is too old to say (before v0.11, Engine < 23).
	version string
	// engineVersion is the engine's own version, for messages.
	engineVersion string
	// reason says why BuildKit is not used, for the fallback notice.
	reason string
}

// buildKitState caches the engine's BuildKit facts and prints the classic
// fallback notice once per Engine.
type buildKitState struct {
	mu       sync.Mutex
	info     *buildKitInfo
	notified bool
}

// dialBuildKit opens a BuildKit client on the engine's own BuildKit: gRPC
// over a hijacked /grpc connection (h2c), and the session over /session,
// as buildx's docker driver dials them.
func (e *Engine) dialBuildKit(ctx context.Context) (*bkclient.Client, error) {
	api := e.api
	return bkclient.New(ctx, "",
		bkclient.WithContextDialer(func(ctx context.Context, _ string) (net.Conn, error) {
			return api.DialHijack(ctx, "/grpc", "h2c", nil)
		}),
		bkclient.WithSessionDialer(func(ctx context.Context, proto string, meta map[string][]string) (net.Conn, error) {
			return api.DialHijack(ctx, "/session", proto, meta)
		}),
	)
}

// buildKit reports, once per Engine, whether the engine serves BuildKit and
// which version. DOCKER_BUILDKIT=0 selects the classic builder, as it does
// for docker compose.
func (e *Engine) buildKit(ctx context.Context) buildKitInfo {
	e.bk.mu.Lock()
	defer e.bk.mu.Unlock()
	if e.bk.info == nil {
		info := e.probeBuildKit(ctx)
		e.bk.info = &info
	}
	return *e.bk.info
}

func (e *Engine) probeBuildKit(ctx context.Context) buildKitInfo {
	info := buildKitInfo{}
	if v, err := e.api.ServerVersion(ctx, client.ServerVersionOptions{}); err == nil {
		info.engineVersion = v.Version
		if v.Os == "windows" {
			info.reason = "the engine runs Windows containers, which BuildKit does not build"
			return info
		}
	}
	if v, ok := os.LookupEnv("DOCKER_BUILDKIT"); ok {
		if on, err := strconv.ParseBool(v); err == nil && !on {
			info.reason = "DOCKER_BUILDKIT=0"
			return info
		}
	}
	ctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	c, err := e.dialBuildKit(ctx)
	if err != nil {
		info.reason = fmt.Sprintf("the engine does not serve BuildKit (%v)", err)
		return info
	}
	defer c.Close()
	if _, err := c.ListWorkers(ctx); err != nil {
		info.reason = fmt.Sprintf("the engine does not serve BuildKit (%v)", err)
		return info
	}
	info.available = true
	bi, err := c.Info(ctx)
	switch {
	case err == nil:
		info.version = bi.BuildkitVersion.Version
	case status.Code(errors.Unwrap(err)) == codes.Unimplemented || status.Code(err) == codes.Unimplemented:
		// BuildKit before v0.11 has no Info call: Engine 20.10 and older.
	}
	return info
}

// classicNotice is the one-time notice that builds use the classic builder.
func (e *Engine) classicNotice(service string, info buildKitInfo, progress ProgressFunc) {
	e.bk.mu.Lock()
	done := e.bk.notified
	e.bk.notified = true
	e.bk.mu.Unlock()
	if done {
		return
	}
	progress.report(Progress{Kind: ProgressWarning, Service: service,
		Text: "building with the engine's classic builder (deprecated): " + info.reason})
}
