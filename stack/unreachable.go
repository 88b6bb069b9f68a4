package stack

import (
	"errors"
	"strings"
	"syscall"
)

// hostSource is where the engine address comes from, for every advice.
const hostSource = "the address comes from --host, DOCKER_HOST or the current docker context (`docker context ls`)"

// unreachableAdvice says what to check when the engine does not answer,
// from why it did not: a socket the user may not open, an engine that is
// not running, or a slow or wrong address.
func unreachableAdvice(err error) string {
	msg := err.Error()
	switch {
	case errors.Is(err, syscall.EACCES) || strings.Contains(msg, "permission denied"):
		return "your user may not open the engine's socket: add it to the docker group and log in again, or run devstack with sudo; " + hostSource
	case errors.Is(err, syscall.ENOENT) || errors.Is(err, syscall.ECONNREFUSED) ||
		strings.Contains(msg, "no such file") || strings.Contains(msg, "connection refused"):
		return "is the Docker engine running? start it (`sudo systemctl start docker`, or Docker Desktop); " + hostSource
	}
	return "check that the engine runs and answers at that address; " + hostSource
}
