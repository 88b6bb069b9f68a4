// Package yamlpos finds where a key or a value is written in a project's
// compose files: file and line, across overriding files, YAML aliases and
// merge keys, and v1 files whose services sit at the top level.
// compose-go reports schema and interpolation errors by dotted path only;
// composeload uses this to point at the line.
//
// It reads YAML trees only: it must not import engine or compose-go
// packages (github.com/moby/..., github.com/docker/...,
// github.com/compose-spec/...), nor anything of stack. The rule is
// enforced by layering_test.go at the module root.
package yamlpos
