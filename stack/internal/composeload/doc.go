// Package composeload reads a project's compose files the way the docker
// compose CLI does (compose-go's loader, with the CLI's options and steps)
// and keeps what devstack learns on the way: where each environment
// variable came from, warnings about keys devstack does not honour and
// about what compose-go logs, legacy v1 files converted in memory, and
// load errors placed at file:line and key (*LoadError). stack builds its
// plain Project from the Result; the engine verbs work from Result.Model.
//
// It may import compose-go (github.com/compose-spec/...) and the other
// packages under stack/internal; it must not import the engine's packages
// (github.com/moby/..., github.com/docker/...) nor anything of stack,
// which re-exports the types callers use (stack.LoadOptions,
// stack.LoadError, stack.Warning, stack.EnvVar, ...). The rule is
// enforced by layering_test.go at the module root.
package composeload
