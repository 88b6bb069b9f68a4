package stack

import (
	"context"
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/moby/moby/client"
)

// Engine is a connection to one Docker engine. Verbs that change or watch
// the engine are its methods; it is safe for concurrent use.
type Engine struct {
	api *client.Client
	// Host is the engine address in use (unix://…, tcp://…, ssh://…).
	Host string
	// Local is set when the engine runs on this machine, so its cgroup
	// files can be read directly.
	Local bool

	feeds eventFeeds
	// bk caches what the engine's BuildKit can do (buildkit_engine.go).
	bk buildKitState
}

// ConnectOptions choose the engine; by default DOCKER_HOST, then the
// current docker context, then the platform's default socket.
type ConnectOptions struct {
	Host string
}

// Connect opens a client to the engine and checks that it answers,
// negotiating the API version so old and new engines both work.
func Connect(ctx context.Context, opts ConnectOptions) (*Engine, error) {
	host, err := resolveHost(opts.Host)
	if err != nil {
		return nil, err
	}
	clientOpts := []client.Opt{client.FromEnv, client.WithHost(host)}
	if strings.HasPrefix(host, "ssh://") {
		dial, err := sshDialer(host)
		if err != nil {
			return nil, err
		}
		clientOpts = append(clientOpts, client.WithHost("http://docker.example"), client.WithDialContext(dial))
	}
	api, err := client.New(clientOpts...)
	if err != nil {
		return nil, fmt.Errorf("connect to %s: %w", host, err)
	}
	e := &Engine{api: api, Host: host, Local: strings.HasPrefix(host, "unix://")}
	if err := e.ping(ctx); err != nil {
		api.Close()
		return nil, err
	}
	return e, nil
}

// ping checks that the engine answers within a few seconds.
func (e *Engine) ping(ctx context.Context) error {
	ctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	if _, err := e.api.Ping(ctx, client.PingOptions{NegotiateAPIVersion: true}); err != nil {
		return fmt.Errorf("%w at %s: %v (%s)", ErrEngineUnreachable, e.Host, err, unreachableAdvice(err))
	}
	return nil
}

// Close releases the connection.
func (e *Engine) Close() error {
	return e.api.Close()
}

// resolveHost picks the engine address the way the docker CLI does.
func resolveHost(explicit string) (string, error) {
	if explicit != "" {
		return explicit, nil
	}
	if h := os.Getenv("DOCKER_HOST"); h != "" {
		return h, nil
	}
	if h, err := contextHost(); err != nil || h != "" {
		return h, err
	}
	return client.DefaultDockerHost, nil
}
