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
	actRemove      action = "rm"
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
	actTheme       action = "theme"
	actChoose      action = "choose"
	actCancel      action = "cancel"
	actConfirm     action = "confirm"
	actVolumes     action = "delete-volumes"
	actClean       action = "clean"
	actWatch       action = "watch"
)

// scope is where a binding applies: everywhere, in the focused pane, or in
// a modal view (the rebuild picker, help).
type scope int

const (
	scopeGlobal scope = iota
	scopeTable
	scopeLogs
	scopePicker
	scopeConfirm
	scopeHelp
)

// scopes is the order help lists them in.
var scopes = []scope{scopeGlobal, scopeTable, scopeLogs, scopePicker, scopeConfirm}

var scopeNames = map[scope]string{scopeGlobal: "Global", scopeTable: "Services", scopeLogs: "Logs",
	scopePicker: "Rebuild picker", scopeConfirm: "Down confirmation (any other key cancels)", scopeHelp: "Help"}

// paletteUse says whether an action is a command of the ':' palette and
// what it takes after its name.
type paletteUse int

const (
	notInPalette   paletteUse = iota
	paletteNoArg              // ":reload"
	paletteService            // ":restart [service]": acts on the named service
	palettePattern            // ":search [pattern]": without one, opens the input
	paletteTheme              // ":theme [dark|light]"
)

// binding is one row of the key table: dispatch, help, the palette, the
// README and the "why not" status all read it.
type binding struct {
	action action
	keys   []string
	scope  scope
	help   string
	// disabled says why the action cannot run now ("" when it can).
	disabled func(m *model) string
	palette  paletteUse
	// aliases are other palette names of the action.
	aliases []string
}

// keyTable is every key binding of the screen. An action with no key is a
// palette command only (a key can still be given to it in the config).
var keyTable = []binding{
	{actQuit, []string{"q", "ctrl+c"}, scopeGlobal, "quit (the stack keeps running)", nil, paletteNoArg, nil},
	{actHelp, []string{"?"}, scopeGlobal, "show or hide this help", nil, paletteNoArg, nil},
	{actPalette, []string{":"}, scopeGlobal, "command palette (tab completes)", nil, notInPalette, nil},
	{actNextPane, []string{"tab"}, scopeGlobal, "next pane", nil, notInPalette, nil},
	{actPrevPane, []string{"shift+tab"}, scopeGlobal, "previous pane", nil, notInPalette, nil},
	{actBack, []string{"esc"}, scopeGlobal, "close, clear filter or search", nil, notInPalette, nil},
	{actReload, []string{"ctrl+r"}, scopeGlobal, "reload the compose file", nil, paletteNoArg, nil},
	{actUp, []string{"k", "up"}, scopeGlobal, "move up", nil, notInPalette, nil},
	{actDown, []string{"j", "down"}, scopeGlobal, "move down", nil, notInPalette, nil},
	{actTop, []string{"g", "home"}, scopeGlobal, "go to top", nil, notInPalette, nil},
	{actBottom, []string{"G", "end"}, scopeGlobal, "go to bottom (logs: follow)", nil, notInPalette, nil},
	{actPageUp, []string{"ctrl+u", "pgup"}, scopeGlobal, "page up", nil, notInPalette, nil},
	{actPageDown, []string{"ctrl+d", "pgdown"}, scopeGlobal, "page down", nil, notInPalette, nil},
	{actDownStack, []string{"D"}, scopeGlobal, "down the stack (asks; deleting volumes asks again, naming them)", needEngine, paletteNoArg, nil},
	{actLogs, []string{"l"}, scopeGlobal, "logs of the selected service or one-off container, following the selection (again: all)", needRow, paletteService, nil},
	{actAllLogs, []string{"a"}, scopeGlobal, "logs of all services", nil, paletteNoArg, nil},
	{actWatch, []string{"W"}, scopeGlobal, "watch on/off: sync, restart or rebuild on file changes (develop.watch)", needWatch, paletteNoArg, nil},
	{actClean, []string{"C"}, scopeGlobal, "clean up what the stack left behind (asks; named volumes kept)", needCleaner, paletteNoArg, nil},
	{actTheme, nil, scopeGlobal, "switch between dark and light colours", nil, paletteTheme, nil},
	{actShell, []string{"s", "enter"}, scopeTable, "shell in the container (bash if present, else sh)", needRunning, paletteService, []string{"exec"}},
	{actRestart, []string{"r"}, scopeTable, "restart service", needServiceContainer, paletteService, nil},
	{actStop, []string{"x"}, scopeTable, "stop service (on a one-off row: that container)", needRunning, paletteService, nil},
	{actStart, []string{"u"}, scopeTable, "start service", needStoppedService, paletteService, nil},
	{actRemove, []string{"X"}, scopeTable, "remove the selected one-off container (stops it first)", needOneOff, paletteNoArg, nil},
	{actRecreate, []string{"R"}, scopeTable, "recreate service", needProject, paletteService, nil},
	{actRebuild, []string{"b"}, scopeTable, "rebuild from a chosen Dockerfile stage, then recreate only it", needBuild, paletteService, nil},
	{actOpen, []string{"o"}, scopeTable, "open a published port in the browser", needPort, paletteService, nil},
	{actInspect, []string{"i"}, scopeTable, "inspect pane (mounts, env and its origin, limits)", needRow, paletteService, nil},
	{actFilter, []string{"/"}, scopeTable, "filter services", nil, palettePattern, nil},
	{actSortNext, []string{">"}, scopeTable, "sort by next column", nil, paletteNoArg, []string{"sort"}},
	{actSortPrev, []string{"<"}, scopeTable, "sort by previous column", nil, paletteNoArg, nil},
	{actSortReverse, []string{"I"}, scopeTable, "reverse sort order", nil, paletteNoArg, nil},
	{actSearch, []string{"/"}, scopeLogs, "search (regex, smart case)", nil, palettePattern, nil},
	{actNextMatch, []string{"n"}, scopeLogs, "next match", needSearch, paletteNoArg, nil},
	{actPrevMatch, []string{"N"}, scopeLogs, "previous match", needSearch, paletteNoArg, nil},
	{actLogFilter, []string{"&"}, scopeLogs, "show only matching lines", nil, palettePattern, nil},
	{actFollow, []string{"f", "space"}, scopeLogs, "follow / pause", nil, paletteNoArg, nil},
	{actTimestamps, []string{"t"}, scopeLogs, "timestamps on/off", nil, paletteNoArg, nil},
	{actWrap, []string{"w"}, scopeLogs, "wrap long lines on/off", nil, paletteNoArg, nil},
	{actWindow, []string{"T"}, scopeLogs, "time window: all, 1m, 5m, 15m, 1h", nil, paletteNoArg, []string{"window"}},
	{actSave, []string{"ctrl+s"}, scopeLogs, "save the shown log to a file", nil, paletteNoArg, []string{"save"}},
	{actChoose, []string{"enter"}, scopePicker, "rebuild from the highlighted stage", nil, notInPalette, nil},
	{actCancel, []string{"esc", "q"}, scopePicker, "close without rebuilding", nil, notInPalette, nil},
	{actConfirm, []string{"y"}, scopeConfirm, "down (named volumes are kept); on the second question: delete them", nil, notInPalette, nil},
	{actVolumes, []string{"v"}, scopeConfirm, "down and delete the named volumes (asks again, naming them)", nil, notInPalette, nil},
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

// keysFor is the first key of an action, for hints ("" when it has none).
func (km keyMap) keysFor(a action) string {
	for _, b := range km.bindings {
		if b.action == a && len(b.keys) > 0 {
			return b.keys[0]
		}
	}
	return ""
}

// keysIn is every key of an action in a scope, for hints ("k/up").
// The scope's own binding wins over the global one, as in lookup.
func (km keyMap) keysIn(sc scope, a action) string {
	for _, want := range []scope{sc, scopeGlobal} {
		for _, b := range km.bindings {
			if b.action == a && b.scope == want {
				return strings.Join(b.keys, "/")
			}
		}
	}
	return ""
}

// binding returns the first row of an action.
func (km keyMap) binding(a action) (binding, bool) {
	for _, b := range km.bindings {
		if b.action == a {
			return b, true
		}
	}
	return binding{}, false
}

// why is the reason an action cannot run now ("" when it can).
func (b binding) why(m *model) string {
	if b.disabled == nil || m == nil {
		return ""
	}
	return b.disabled(m)
}

func actionNames() []string {
	var names []string
	seen := map[action]bool{}
	for _, b := range keyTable {
		if !seen[b.action] {
			seen[b.action] = true
			names = append(names, string(b.action))
		}
	}
	return names
}
