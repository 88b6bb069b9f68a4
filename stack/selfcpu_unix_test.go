//go:build unix

package stack

import (
	"syscall"
	"time"
)

// selfCPU is the CPU time this process has used so far, for the benchmarks
// that report devstack's own CPU next to the engine's.
func selfCPU() time.Duration {
	var ru syscall.Rusage
	_ = syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
