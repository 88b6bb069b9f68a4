// Package dockerfile reads Dockerfiles the way the Dockerfile frontends
// split them, enough for what devstack decides before it sends a build:
// the stages and which earlier stages each one uses, the Dockerfile line a
// BuildKit step ran, and syntax that the classic builder or an old
// engine's built-in frontend cannot build. It does not validate
// instructions; the builder does.
//
// It is pure text parsing: it must not import engine or compose-go
// packages (github.com/moby/..., github.com/docker/...,
// github.com/compose-spec/...), nor anything of stack, which wraps it for
// a project's services (stack.Stages, stack.StageNeeds). The rule is
// enforced by layering_test.go at the module root.
package dockerfile
