//go:build unix

package e2e

import (
	"os"
	"syscall"
	"testing"
)

// peakRSS is the peak resident memory of a finished child process, in
// bytes.
func peakRSS(t *testing.T, state *os.ProcessState) int64 {
	t.Helper()
	ru, _ := state.SysUsage().(*syscall.Rusage)
	if ru == nil {
		t.Fatal("no resource usage for the child process")
	}
	return ru.Maxrss << 10 // kilobytes on Linux
}
