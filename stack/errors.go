package stack

import "errors"

// Sentinel errors let callers choose their words; every verb wraps them with
// the operation and subject, so test with errors.Is.
var (
	// ErrNoComposeFile means no compose file was found in the folder or its parents.
	ErrNoComposeFile = errors.New("no compose file found")
	// ErrEngineUnreachable means the Docker engine did not answer.
	ErrEngineUnreachable = errors.New("docker engine unreachable")
	// ErrUnknownService means a service name is not declared in the project.
	ErrUnknownService = errors.New("no such service")
	// ErrNotCreated means the service has no container yet.
	ErrNotCreated = errors.New("service has no container")
	// ErrNeedsBuildKit means a Dockerfile uses features the classic builder lacks.
	ErrNeedsBuildKit = errors.New("dockerfile needs BuildKit")
	// ErrFrontendTooOld means a Dockerfile uses syntax newer than the
	// engine's built-in Dockerfile frontend.
	ErrFrontendTooOld = errors.New("the engine's Dockerfile frontend is too old")
)
