package tui

import (
	"strings"
	"unicode/utf8"
)

// inputPurpose is what a line of input is for.
type inputPurpose int

const (
	inputNone inputPurpose = iota
	inputTableFilter
	inputLogSearch
	inputLogFilter
	inputPalette
)

var inputPrompts = map[inputPurpose]string{
	inputTableFilter: "filter services: ",
	inputLogSearch:   "search logs /",
	inputLogFilter:   "show only lines matching &",
	inputPalette:     ":",
}

// lineInput is a one-line editor for filters, searches and commands.
type lineInput struct {
	purpose inputPurpose
	value   string
	// cycle is the matches Tab steps through once it has completed all
	// they share; any other key ends the cycle.
	cycle []string
	next  int
}

// inputResult is what a key did to the line.
type inputResult int

const (
	inputEditing inputResult = iota
	inputSubmit
	inputCancel
)

func (in *lineInput) open(p inputPurpose, value string) {
	in.purpose, in.value, in.cycle = p, value, nil
}

func (in *lineInput) close() { in.purpose = inputNone }

// key edits the line: printable text inserts, backspace deletes, ctrl+u
// clears, enter submits, esc cancels.
func (in *lineInput) key(k, text string) inputResult {
	if k != "tab" {
		in.cycle = nil
	}
	switch k {
	case "enter":
		return inputSubmit
	case "esc", "ctrl+c":
		return inputCancel
	case "backspace", "ctrl+h":
		if in.value == "" && in.purpose == inputPalette {
			return inputCancel
		}
		_, n := utf8.DecodeLastRuneInString(in.value)
		in.value = in.value[:len(in.value)-n]
	case "ctrl+u":
		in.value = ""
	case "ctrl+w":
		v := strings.TrimRight(in.value, " ")
		in.value = v[:strings.LastIndexByte(v, ' ')+1]
	case "tab": // completes in the palette only (model.inputKey)
	default:
		if text != "" {
			in.value += text
		}
	}
	return inputEditing
}

// complete is Tab: one match is taken whole (a verb with a space after
// it, ready for its argument); several are completed to what they share;
// when that adds nothing, each Tab shows the next match in turn.
func (in *lineInput) complete(matches func(string) []string) {
	if len(in.cycle) > 0 {
		in.next = (in.next + 1) % len(in.cycle)
		in.value = in.cycle[in.next]
		return
	}
	ms := matches(in.value)
	switch {
	case len(ms) == 0:
	case len(ms) == 1 && !strings.Contains(ms[0], " "):
		in.value = ms[0] + " "
	case len(ms) == 1:
		in.value = ms[0]
	case len(commonPrefix(ms)) > len(in.value):
		in.value = commonPrefix(ms)
	default:
		in.cycle, in.next = ms, 0
		in.value = ms[0]
	}
}

func (in *lineInput) view(st styles, width int) string {
	return fit(st.accent.Render(inputPrompts[in.purpose])+in.value+st.selected.Render(" "), width)
}
