// Package confighash computes the config hashes Docker Compose stamps on
// the containers, networks and volumes it creates
// (com.docker.compose.config-hash), so that devstack and Compose agree on
// what is up to date and each can take over the other's stacks. It follows
// Compose's internal/confighash: the same fields cleared, the same key
// order, the same defaults.
//
// It hashes compose-go's model and may import compose-go's types; it must
// not import the engine's packages (github.com/moby/...,
// github.com/docker/...) nor anything of stack, which resolves references
// between services before hashing (Project.ResolvedHash). The rule is
// enforced by layering_test.go at the module root.
package confighash
