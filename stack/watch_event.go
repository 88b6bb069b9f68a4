package stack

import (
	"fmt"
	"time"
)

// WatchAction is what one watch event did.
type WatchAction string

// Watch actions, as events report them.
const (
	// WatchStarted: the watch is set up; Text lists the watched paths.
	WatchStarted WatchAction = "watching"
	// WatchSynced: files were copied into (or deleted from) the service's
	// running containers.
	WatchSynced WatchAction = "synced"
	// WatchRebuilt: the image was rebuilt and the service recreated.
	WatchRebuilt WatchAction = "rebuilt"
	// WatchRestarted: the service's containers were restarted.
	WatchRestarted WatchAction = "restarted"
	// WatchExecuted: a sync+exec command ran in the containers.
	WatchExecuted WatchAction = "executed"
	// WatchWarning: something the user should know (a path that is also
	// bind-mounted, watch errors of the file system).
	WatchWarning WatchAction = "warning"
)

// WatchEvent is one thing the watch did, for the CLI to print and the
// dashboard to show as an event line of the service.
type WatchEvent struct {
	Time    time.Time
	Service string
	Action  WatchAction
	// Files and Bytes are the regular files copied and their size;
	// Deleted the paths removed; Containers the containers acted on.
	Files, Deleted, Containers int
	Bytes                      int64
	Duration                   time.Duration
	// Output holds the last lines of a sync+exec command's output.
	Output []string
	// Text adds words of its own (why nothing was synced, what is watched).
	Text string
	// Err is set when the action failed; the watch goes on.
	Err error
}

// String says what the event did in a few words, without the service
// name: "synced 3 files (12 KiB) in 38 ms", "rebuilt in 4.1 s",
// "sync failed: …".
func (ev WatchEvent) String() string {
	if ev.Err != nil {
		noun := map[WatchAction]string{WatchSynced: "sync", WatchRebuilt: "rebuild", WatchRestarted: "restart",
			WatchExecuted: "exec", WatchWarning: "watch", WatchStarted: "watch"}[ev.Action]
		return noun + " failed: " + ev.Err.Error()
	}
	var s string
	switch ev.Action {
	case WatchSynced:
		if ev.Containers == 0 {
			// Nothing reached a container: the line must not read as a
			// sync a user would then look for in the container.
			s = "not synced: " + plural(ev.Files+ev.Deleted, "change")
			break
		}
		s = "synced " + plural(ev.Files, "file")
		if ev.Files > 0 {
			s += " (" + sizeWords(ev.Bytes) + ")"
		}
		if ev.Deleted > 0 {
			s += ", deleted " + plural(ev.Deleted, "path")
		}
		if ev.Containers > 1 {
			s += fmt.Sprintf(" into %d containers", ev.Containers)
		}
	case WatchStarted:
		s = "watching " + ev.Text
	case WatchWarning:
		s = "watch"
	default:
		s = string(ev.Action)
	}
	if ev.Duration > 0 {
		s += " in " + durationWords(ev.Duration)
	}
	if ev.Text != "" && ev.Action != WatchStarted {
		s += ": " + ev.Text
	}
	return s
}

func plural(n int, word string) string {
	if n == 1 {
		return "1 " + word
	}
	return fmt.Sprintf("%d %ss", n, word)
}

func sizeWords(b int64) string {
	switch {
	case b < 1024:
		return fmt.Sprintf("%d B", b)
	case b < 1<<20:
		return fmt.Sprintf("%.0f KiB", float64(b)/1024)
	default:
		return fmt.Sprintf("%.1f MiB", float64(b)/(1<<20))
	}
}

func durationWords(d time.Duration) string {
	if d < time.Second {
		return fmt.Sprintf("%d ms", d.Milliseconds())
	}
	return fmt.Sprintf("%.1f s", d.Seconds())
}
