// Package cgroups reads a container's resource counters straight from the
// kernel, the way the engine's own stats endpoint does but without asking
// it: the container's cgroup files (v1 and v2, cgroupfs and systemd
// drivers), its network namespace's /proc/<pid>/net/dev, and the host's
// /proc/stat and /proc/meminfo. Counter files are kept open between reads
// (counterfiles.go) because a stats round reads the same files every second.
//
// It is pure file parsing: it must not import engine or compose-go packages
// (github.com/moby/..., github.com/docker/..., github.com/compose-spec/...),
// nor anything of stack; stack turns two Samples into a Stats. The rule is
// enforced by layering_test.go at the module root.
package cgroups
