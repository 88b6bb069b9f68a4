package tui

import (
	"fmt"
	"sort"
	"strings"
)

// action names what a key does; the names are what the config file's keys
// section uses.
type action string

// Every action a key can trigger.
const (
	actQuit        action = "quit"
	actHelp        action = "help"
	actPalette     action = "palette"
	actNextPane    action = "next-pane"
	actPrevPane    action = "prev-pane"
	actBack        action = "back"
	actReload      action = "reload"
	actUp          action = "cursor-up"
	actDown        action = "cursor-down"
	actTop         action = "top"
	actBottom      action = "bottom"
	actPageUp      action = "page-up"
	actPageDown    action = "page-down"
	actFilter      action = "filter"
	actSortNext    action = "sort-next"
	actSortPrev    action = "sort-prev"
	actSortReverse action = "sort-reverse"
	actShell       action = "shell"
	actRestart     action = "restart"
	actStop        action = "stop"
	actStart       action = "start"
	actRecreate    action = "recreate"
	actRebuild     action = "rebuild"
	actDownStack   action = "down"
	actOpen        action = "open"
	actInspect     action = "inspect"
	actLogs        action = "logs"
	actAllLogs     action = "all-logs"
	actSearch      action = "search"
	actNextMatch   action = "next-match"
	actPrevMatch   action = "prev-match"
	actLogFilter   action = "log-filter"
	actFollow      action = "follow"
	actTimestamps  action = "timestamps"
	actWrap        action = "wrap"
	actWindow      action = "time-window"
	actSave        action = "save-logs"
	actWatch       action = "watch"
)

// scope is where a binding applies: everywhere, or in the focused pane.
type scope int

const (
	scopeGlobal scope = iota
	scopeTable
	scopeLogs
)

var scopeNames = map[scope]string{scopeGlobal: "Global", scopeTable: "Services", scopeLogs: "Logs"}

// binding is one row of the key table: dispatch and help both read it.
type binding struct {
	action action
	keys   []string
	scope  scope
	help   string
	// disabled says why the action cannot run now ("" when it can).
	disabled func(m *Model) string
}

// keyTable is every key binding of the screen.
var keyTable = []binding{
	{actQuit, []string{"q", "ctrl+c"}, scopeGlobal, "quit (the stack keeps running)", nil},
	{actHelp, []string{"?"}, scopeGlobal, "show or hide this help", nil},
	{actPalette, []string{":"}, scopeGlobal, "command palette", nil},
	{actNextPane, []string{"tab"}, scopeGlobal, "next pane", nil},
	{actPrevPane, []string{"shift+tab"}, scopeGlobal, "previous pane", nil},
	{actBack, []string{"esc"}, scopeGlobal, "close, clear filter or search", nil},
	{actReload, []string{"ctrl+r"}, scopeGlobal, "reload the compose file", nil},
	{actUp, []string{"k", "up"}, scopeGlobal, "move up", nil},
	{actDown, []string{"j", "down"}, scopeGlobal, "move down", nil},
	{actTop, []string{"g", "home"}, scopeGlobal, "go to top", nil},
	{actBottom, []string{"G", "end"}, scopeGlobal, "go to bottom (logs: follow)", nil},
	{actPageUp, []string{"ctrl+u", "pgup"}, scopeGlobal, "page up", nil},
	{actPageDown, []string{"ctrl+d", "pgdown"}, scopeGlobal, "page down", nil},
	{actShell, []string{"s", "enter"}, scopeTable, "shell in the container", needRunning},
	{actRestart, []string{"r"}, scopeTable, "restart service", needContainer},
	{actStop, []string{"x"}, scopeTable, "stop service", needRunning},
	{actStart, []string{"u"}, scopeTable, "start service", needStopped},
	{actRecreate, []string{"R"}, scopeTable, "recreate service", needProject},
	{actRebuild, []string{"b"}, scopeTable, "rebuild from a chosen stage, then recreate", needBuild},
	{actDownStack, []string{"D"}, scopeGlobal, "down the stack (asks first)", needEngine},
	{actWatch, []string{"W"}, scopeGlobal, "watch on/off: sync, restart or rebuild on file changes (develop.watch)", needWatch},
	{actOpen, []string{"o"}, scopeTable, "open a published port in the browser", needPort},
	{actInspect, []string{"i"}, scopeTable, "inspect pane (mounts, env, limits)", needRow},
	{actLogs, []string{"l"}, scopeTable, "logs of this service", needRow},
	{actAllLogs, []string{"a"}, scopeGlobal, "logs of all services", nil},
	{actFilter, []string{"/"}, scopeTable, "filter services", nil},
	{actSortNext, []string{">"}, scopeTable, "sort by next column", nil},
	{actSortPrev, []string{"<"}, scopeTable, "sort by previous column", nil},
	{actSortReverse, []string{"I"}, scopeTable, "reverse sort order", nil},
	{actSearch, []string{"/"}, scopeLogs, "search (regex, smart case)", nil},
	{actNextMatch, []string{"n"}, scopeLogs, "next match", needSearch},
	{actPrevMatch, []string{"N"}, scopeLogs, "previous match", needSearch},
	{actLogFilter, []string{"&"}, scopeLogs, "show only matching lines", nil},
	{actFollow, []string{"f", "space"}, scopeLogs, "follow / pause", nil},
	{actTimestamps, []string{"t"}, scopeLogs, "timestamps on/off", nil},
	{actWrap, []string{"w"}, scopeLogs, "wrap long lines on/off", nil},
	{actWindow, []string{"T"}, scopeLogs, "time window: all, 1m, 5m, 15m, 1h", nil},
	{actSave, []string{"ctrl+s"}, scopeLogs, "save the shown log to a file", nil},
}

// keyMap resolves a key in a scope to its binding.
type keyMap struct {
	bindings []binding
	byKey    map[scope]map[string]int
}

// newKeyMap builds the map from the table with the user's overrides
// (action name to keys); an unknown action name is an error.
func newKeyMap(overrides map[string][]string) (keyMap, error) {
	km := keyMap{bindings: make([]binding, len(keyTable)), byKey: map[scope]map[string]int{}}
	copy(km.bindings, keyTable)
	names := make([]string, 0, len(overrides))
	for name := range overrides {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		found := false
		for i := range km.bindings {
			if string(km.bindings[i].action) == name {
				km.bindings[i].keys, found = overrides[name], true
			}
		}
		if !found {
			return km, fmt.Errorf("keys: unknown action %q (known: %s)", name, strings.Join(actionNames(), ", "))
		}
	}
	for i, b := range km.bindings {
		if km.byKey[b.scope] == nil {
			km.byKey[b.scope] = map[string]int{}
		}
		for _, k := range b.keys {
			km.byKey[b.scope][k] = i
		}
	}
	return km, nil
}

// lookup finds the binding for a key: the pane's scope first, then global.
func (km keyMap) lookup(sc scope, key string) (binding, bool) {
	if i, ok := km.byKey[sc][key]; ok {
		return km.bindings[i], true
	}
	if i, ok := km.byKey[scopeGlobal][key]; ok {
		return km.bindings[i], true
	}
	return binding{}, false
}

// keysFor is the first key of an action, for hints.
func (km keyMap) keysFor(a action) string {
	for _, b := range km.bindings {
		if b.action == a && len(b.keys) > 0 {
			return b.keys[0]
		}
	}
	return ""
}

func actionNames() []string {
	var names []string
	for _, b := range keyTable {
		names = append(names, string(b.action))
	}
	return names
}
