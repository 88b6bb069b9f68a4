//go:build !unix

package e2e

import (
	"os"
	"testing"
)

// peakRSS skips the test: the peak memory of a child comes from getrusage,
// which only unix has.
func peakRSS(t *testing.T, _ *os.ProcessState) int64 {
	t.Helper()
	t.Skip("peak RSS of a child process is read with getrusage, which this system lacks")
	return 0
}
