package stack

import (
	"errors"
	"fmt"

	cerrdefs "github.com/containerd/errdefs"
	"github.com/moby/moby/client"

	"github.com/devstack/devstack/stack/internal/composeload"
)

// Sentinel errors let callers choose their words; every verb wraps them with
// the operation and subject, so test with errors.Is.
var (
	// ErrNoComposeFile means no compose file was found in the folder or its
	// parents (the loader's sentinel).
	ErrNoComposeFile = composeload.ErrNoComposeFile
	// ErrEngineUnreachable means the Docker engine did not answer.
	ErrEngineUnreachable = errors.New("docker engine unreachable")
	// ErrUnknownService means a service name is not declared in the project
	// (the loader's sentinel: it checks the services a load selects).
	ErrUnknownService = composeload.ErrUnknownService
	// ErrNotFound means the container (or image) asked for does not exist
	// (any more): removed by someone else, or never there.
	ErrNotFound = errors.New("not found")
	// ErrNoProject means the action needs the compose file, and the
	// screen or command was attached to a stack by name without one.
	ErrNoProject = errors.New("no compose file loaded (attached by project name)")
	// ErrNotCreated means the service has no container yet.
	ErrNotCreated = errors.New("service has no container")
	// ErrNeedsBuildKit means a Dockerfile uses features the classic builder lacks.
	ErrNeedsBuildKit = errors.New("dockerfile needs BuildKit")
	// ErrFrontendTooOld means a Dockerfile uses syntax newer than the
	// engine's built-in Dockerfile frontend.
	ErrFrontendTooOld = errors.New("the engine's Dockerfile frontend is too old")
)

// engineErr gives an engine error the sentinel callers test for: a
// container or image that does not exist becomes ErrNotFound, a connection
// that fails ErrEngineUnreachable (the engine's own text is kept after it).
func engineErr(err error) error {
	switch {
	case err == nil:
		return nil
	case cerrdefs.IsNotFound(err) && !errors.Is(err, ErrNotFound):
		return fmt.Errorf("%w: %w", ErrNotFound, err)
	case client.IsErrConnectionFailed(err) && !errors.Is(err, ErrEngineUnreachable):
		return fmt.Errorf("%w: %w", ErrEngineUnreachable, err)
	}
	return err
}
