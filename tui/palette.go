package tui

import (
	"fmt"
	"sort"
	"strings"

	tea "charm.land/bubbletea/v2"
)

// The ':' palette has no table of its own: its commands are the key
// table's actions (by name, plus aliases), with the same disabled reasons.

// paletteVerbs maps every palette name to the binding it runs.
func (km keyMap) paletteVerbs() map[string]binding {
	verbs := map[string]binding{}
	for _, b := range km.bindings {
		if b.palette == notInPalette {
			continue
		}
		for _, name := range append([]string{string(b.action)}, b.aliases...) {
			if _, dup := verbs[name]; !dup {
				verbs[name] = b
			}
		}
	}
	return verbs
}

// paletteMatches lists the verbs that start with what was typed so far.
func (km keyMap) paletteMatches(typed string) []string {
	word := strings.TrimLeft(typed, " ")
	if strings.Contains(word, " ") {
		return nil
	}
	var out []string
	for name := range km.paletteVerbs() {
		if strings.HasPrefix(name, word) {
			out = append(out, name)
		}
	}
	sort.Strings(out)
	return out
}

// parsePalette splits a command line into its verb's binding and argument;
// a unique prefix of a verb is enough.
func (km keyMap) parsePalette(line string) (verb string, b binding, arg string, ok bool) {
	fields := strings.Fields(line)
	if len(fields) == 0 {
		return "", binding{}, "", false
	}
	verb = fields[0]
	verbs := km.paletteVerbs()
	b, ok = verbs[verb]
	if !ok {
		if m := km.paletteMatches(verb); len(m) == 1 {
			verb, b, ok = m[0], verbs[m[0]], true
		}
	}
	return verb, b, strings.Join(fields[1:], " "), ok
}

// completions are the whole lines Tab may turn the palette's line into:
// verbs while the first word is typed, then the verb's argument (service
// names, themes).
func (m *model) completions(line string) []string {
	fields := strings.Fields(line)
	if len(fields) == 0 || (len(fields) == 1 && !strings.HasSuffix(line, " ")) {
		return m.keys.paletteMatches(line)
	}
	verb, b, arg, ok := m.keys.parsePalette(line)
	if !ok || strings.Contains(arg, " ") {
		return nil
	}
	var args []string
	switch b.palette {
	case paletteService:
		for _, r := range m.table.all {
			args = append(args, r.subject())
		}
	case paletteTheme:
		args = []string{ThemeDark, ThemeLight}
	}
	var out []string
	for _, a := range args {
		line := verb + " " + a
		if strings.HasPrefix(a, arg) && (len(out) == 0 || out[len(out)-1] != line) {
			out = append(out, line)
		}
	}
	return out
}

// commonPrefix is the longest prefix all strings share.
func commonPrefix(ss []string) string {
	if len(ss) == 0 {
		return ""
	}
	p := ss[0]
	for _, s := range ss[1:] {
		for !strings.HasPrefix(s, p) {
			p = p[:len(p)-1]
		}
	}
	return p
}

// runPalette runs a typed command: an action of the key table, with an
// optional argument (a service to act on, a pattern, a theme).
func (m *model) runPalette(line string) tea.Cmd {
	verb, b, arg, ok := m.keys.parsePalette(line)
	if !ok {
		if verb != "" {
			m.setStatus(fmt.Sprintf("unknown command %q; try :help", verb), false)
		}
		return nil
	}
	switch b.palette {
	case paletteTheme:
		return m.setTheme(arg)
	case palettePattern:
		if arg != "" {
			return m.applyPattern(b.action, arg)
		}
	case paletteService:
		if arg != "" && !m.table.selectService(arg) {
			m.setStatus(fmt.Sprintf("%s: no service %q", verb, arg), false)
			return nil
		}
		if arg != "" && b.action == actLogs {
			m.logs.followsSelection = false // show it, do not toggle back
		}
		m.syncSelection()
	}
	if reason := b.why(m); reason != "" {
		m.setStatus(verb+": "+reason, false)
		return nil
	}
	return m.run(b.action)
}

// applyPattern runs a search or filter with its pattern already given.
func (m *model) applyPattern(a action, pattern string) tea.Cmd {
	if a == actFilter {
		m.table.setFilter(pattern)
		m.syncSelection()
		return nil
	}
	m.bottom, m.focus = bottomLogs, focusBottom
	return m.submitInput(map[action]inputPurpose{actSearch: inputLogSearch, actLogFilter: inputLogFilter}[a], pattern)
}

// setTheme switches to a named theme, or to the other one.
func (m *model) setTheme(name string) tea.Cmd {
	dark := !m.st.dark
	switch name {
	case "":
	case ThemeDark, ThemeLight:
		dark = name == ThemeDark
	default:
		m.setStatus(fmt.Sprintf("theme: no theme %q (dark or light)", name), false)
		return nil
	}
	m.st = newStyles(dark, m.opts.NoColor)
	m.logs.resetPrefixes()
	return nil
}

// paletteLines is what the palette shows above its input: the matching
// verbs, wrapped to the width; once one verb is chosen, what it does and,
// when it cannot run now, why.
func (m *model) paletteLines(width int) []string {
	matches := m.completions(m.input.value)
	verb, b, _, ok := m.keys.parsePalette(m.input.value)
	if ok && (len(matches) <= 1 || strings.Contains(strings.TrimLeft(m.input.value, " "), " ")) {
		text := verb + " — " + b.help
		if len(b.keys) > 0 {
			text += " (" + strings.Join(b.keys, " ") + ")"
		}
		if reason := b.why(m); reason != "" {
			text += " — not now: " + reason
		}
		lines := wrapText(text, width-1, "  ")
		if len(matches) > 1 {
			lines = append(packWords(matches, width-1, "  "), lines...)
		}
		return indent(lines, " ")
	}
	return indent(packWords(matches, width-1, "  "), " ")
}

func indent(lines []string, pad string) []string {
	for i := range lines {
		lines[i] = pad + lines[i]
	}
	return lines
}
