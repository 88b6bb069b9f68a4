// Package composev1 reads compose files in the v1 format (services at the
// top level, links, net:, dockerfile beside build) and converts them to
// the current format, keeping the user's data: named volumes keep their
// unprefixed names. composeload converts in memory when it loads such a
// file; `config --migrate` writes the result.
//
// It works on YAML text only: it must not import engine or compose-go
// packages (github.com/moby/..., github.com/docker/...,
// github.com/compose-spec/...), nor anything of stack. The rule is
// enforced by layering_test.go at the module root.
package composev1
