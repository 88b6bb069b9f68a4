package stack

import (
	"os/exec"
	"time"
)

// startInGroup: Windows has no process groups to signal; the process is
// killed directly.
func startInGroup(cmd *exec.Cmd) {
	cmd.WaitDelay = 10 * time.Second
}

// stopGroup kills the docker process.
func stopGroup(cmd *exec.Cmd) {
	cmd.Process.Kill()
}
