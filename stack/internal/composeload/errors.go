package composeload

import "errors"

// Sentinel errors let callers choose their words; stack re-exports them
// and its verbs wrap the same values, so test with errors.Is.
var (
	// ErrNoComposeFile means no compose file was found in the folder or its parents.
	ErrNoComposeFile = errors.New("no compose file found")
	// ErrUnknownService means a service name is not declared in the project.
	ErrUnknownService = errors.New("no such service")
)
