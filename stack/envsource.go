package stack

import "github.com/devstack/devstack/stack/internal/composeload"

// EnvSource says where an environment value came from.
type EnvSource = composeload.EnvSource

// Where environment values come from.
const (
	EnvFromEnvironment = composeload.EnvFromEnvironment
	EnvFromEnvFile     = composeload.EnvFromEnvFile
	EnvFromDotEnv      = composeload.EnvFromDotEnv
	EnvFromImage       = composeload.EnvFromImage
)

// EnvVar is one environment variable of a service and its origin.
type EnvVar = composeload.EnvVar

// EffectiveEnv is a running service's whole environment with where each
// value came from: the service's own variables (environment, env_file,
// .env) and, from the container, the ones only its image sets.
func EffectiveEnv(s Service, containerEnv []string) []EnvVar {
	return composeload.EffectiveEnv(s.Env, containerEnv)
}
