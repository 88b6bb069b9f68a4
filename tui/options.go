package tui

import (
	"github.com/devstack/devstack/stack"
	"os"
	"os/exec"
	"runtime"
	"time"
)

// Theme names accepted by Options.Theme and the config file.
const (
	ThemeAuto  = "auto"
	ThemeDark  = "dark"
	ThemeLight = "light"
)

// Options configure the screen. Zero values take the defaults.
type Options struct {
	// ProjectName is the compose project's name; it defaults to Project.Name.
	ProjectName string
	// Project is the project as already loaded (nil: Reload at start).
	Project *stack.Project
	// Theme is ThemeAuto (from the terminal's background), ThemeDark or ThemeLight.
	Theme string
	// NoColor draws without colour (the caller decides, from --no-color or
	// NO_COLOR).
	NoColor bool
	// Keys override bindings: action name (see keys.go) to keys.
	Keys map[string][]string
	// LogBuffer is the number of log lines kept per service (default 10,000).
	LogBuffer int
	// LogTail is how many past lines per container to load at start (default 200).
	LogTail int
	// Shell is the command a shell runs (default: bash when present, else sh).
	Shell []string
	// ShellUser runs the shell as this user (default: the container's user).
	ShellUser string
	// StatsInterval is the resource sampling period (default 2s).
	StatsInterval time.Duration
	// Now is the clock (default time.Now); tests inject a fixed one.
	Now func() time.Time
	// OpenURL opens a URL in the browser (default xdg-open / open).
	OpenURL func(url string) error
	// WriteFile saves a file (default os.WriteFile with mode 0644).
	WriteFile func(name string, data []byte) error
	// SaveDir is where saved logs go (default the current folder).
	SaveDir string
	// LogsEveryBatch takes each log batch into the screen as it comes.
	// By default, after a small batch the lines gather until the next
	// stats sample or clock tick (at most a second), so a stack whose
	// services print now and then is redrawn about once a second, not
	// once per line; a flood is always taken at once.
	LogsEveryBatch bool
	// Watch starts with develop.watch on (up --watch), when the backend
	// can watch (DevWatcher).
	Watch bool
}

// defaultShell picks bash when the image has it, in one command, because a
// missing binary does not fail at exec create but at start (exit 126).
var defaultShell = []string{"sh", "-c", "command -v bash >/dev/null 2>&1 && exec bash || exec sh"}

func (o Options) withDefaults() Options {
	if o.Theme == "" {
		o.Theme = ThemeAuto
	}
	if o.LogBuffer <= 0 {
		o.LogBuffer = 10000
	}
	if o.LogTail == 0 {
		o.LogTail = 200
	}
	if len(o.Shell) == 0 {
		o.Shell = defaultShell
	}
	if o.StatsInterval <= 0 {
		o.StatsInterval = 2 * time.Second
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.OpenURL == nil {
		o.OpenURL = openURL
	}
	if o.WriteFile == nil {
		o.WriteFile = func(name string, data []byte) error { return os.WriteFile(name, data, 0o644) }
	}
	if o.SaveDir == "" {
		o.SaveDir = "."
	}
	return o
}

// openURL hands a URL to the desktop's opener without waiting for the browser.
func openURL(url string) error {
	name := "xdg-open"
	if runtime.GOOS == "darwin" {
		name = "open"
	}
	cmd := exec.Command(name, url)
	if err := cmd.Start(); err != nil {
		return err
	}
	go func() { _ = cmd.Wait() }()
	return nil
}
