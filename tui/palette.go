package tui

import (
	"fmt"
	"sort"
	"strings"

	tea "charm.land/bubbletea/v2"
)

// paletteCommands are the palette's verbs and the action each runs.
var paletteCommands = map[string]action{
	"restart": actRestart, "stop": actStop, "start": actStart, "recreate": actRecreate,
	"rebuild": actRebuild, "shell": actShell, "exec": actShell, "down": actDownStack, "open": actOpen,
	"inspect": actInspect, "logs": actLogs, "all-logs": actAllLogs, "search": actSearch,
	"filter": actLogFilter, "follow": actFollow, "wrap": actWrap, "timestamps": actTimestamps,
	"window": actWindow, "save": actSave, "reload": actReload, "help": actHelp, "quit": actQuit,
	"q": actQuit, "theme": "", "sort": actSortNext,
	"clean": actClean,
}

// paletteMatches lists the verbs that start with what was typed so far.
func paletteMatches(typed string) []string {
	word := strings.TrimSpace(typed)
	if strings.Contains(word, " ") {
		return nil
	}
	var out []string
	for name := range paletteCommands {
		if strings.HasPrefix(name, word) {
			out = append(out, name)
		}
	}
	sort.Strings(out)
	return out
}

// parsePalette splits a command line into its verb's action and argument.
func parsePalette(line string) (verb string, act action, arg string, ok bool) {
	fields := strings.Fields(line)
	if len(fields) == 0 {
		return "", "", "", false
	}
	verb = fields[0]
	act, ok = paletteCommands[verb]
	if !ok {
		if m := paletteMatches(verb); len(m) == 1 {
			verb, act, ok = m[0], paletteCommands[m[0]], true
		}
	}
	return verb, act, strings.Join(fields[1:], " "), ok
}

// runPalette runs a typed command: a verb of the key table, with an
// optional service name to act on.
func (m *Model) runPalette(line string) tea.Cmd {
	verb, a, arg, ok := parsePalette(line)
	if !ok {
		if verb != "" {
			m.setStatus(fmt.Sprintf("unknown command %q; try :help", verb), false)
		}
		return nil
	}
	switch verb {
	case "theme":
		m.st = newStyles(arg != ThemeLight, m.opts.NoColor)
		m.logs.resetPrefixes()
		return nil
	case "search", "filter":
		if arg != "" {
			m.bottom, m.focus = bottomLogs, focusBottom
			return m.submitInput(map[string]inputPurpose{"search": inputLogSearch, "filter": inputLogFilter}[verb], arg)
		}
	}
	if arg != "" && !m.table.selectService(arg) {
		m.setStatus(fmt.Sprintf("%s: no service %q", verb, arg), false)
		return nil
	}
	for _, b := range m.keys.bindings {
		if b.action == a && b.disabled != nil {
			if reason := b.disabled(m); reason != "" {
				m.setStatus(verb+": "+reason, false)
				return nil
			}
		}
	}
	return m.run(a)
}
