//go:build !windows

package stack

import (
	"os/exec"
	"syscall"
	"time"
)

// startInGroup makes cmd the leader of a process group of its own, so that
// stopping it also stops the plugin process the docker CLI starts.
func startInGroup(cmd *exec.Cmd) {
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	cmd.WaitDelay = 10 * time.Second
}

// stopGroup asks the process group to stop (buildx then cancels the build
// on its builder) and kills it if it is still there 3 s later.
func stopGroup(cmd *exec.Cmd) {
	pid := cmd.Process.Pid
	syscall.Kill(-pid, syscall.SIGINT)
	time.AfterFunc(3*time.Second, func() { syscall.Kill(-pid, syscall.SIGKILL) })
}
