package main

import (
	"github.com/spf13/cobra"

	"github.com/devstack/devstack/stack"
)

// commands lists every verb; the order is the order of `devstack --help`.
func commands(g *globals) []*cobra.Command {
	return []*cobra.Command{
		newUpCmd(g),
		newDownCmd(g),
		newPsCmd(g),
		newLogsCmd(g),
		newExecCmd(g),
		newRunCmd(g),
		newWatchCmd(g),
		newBuildCmd(g),
		newPullCmd(g),
		newImagePushCmd(g),
		newStagesCmd(g),
		newLifecycleCmd(g, "restart", "Restart services' containers", (*stack.Engine).Restart),
		newLifecycleCmd(g, "stop", "Stop services' containers without removing them", (*stack.Engine).Stop),
		newLifecycleCmd(g, "start", "Start services' existing containers", (*stack.Engine).Start),
		newCreateCmd(g),
		newKillCmd(g),
		newRmCmd(g),
		newPauseCmd(g, "pause", "Pause services' running containers", (*stack.Engine).Pause),
		newPauseCmd(g, "unpause", "Unpause services' paused containers", (*stack.Engine).Unpause),
		newTopCmd(g),
		newPortCmd(g),
		newImagesCmd(g),
		newCpCmd(g),
		newEventsCmd(g),
		newStatsCmd(g),
		newWaitCmd(g),
		newScaleCmd(g),
		newAttachCmd(g),
		newConfigCmd(g),
		newLsCmd(g),
		newCleanCmd(g),
		newDfCmd(g),
		newInitCmd(g),
		newTemplateCmd(g),
		newVersionCmd(g),
	}
}
