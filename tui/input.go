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
}

// inputResult is what a key did to the line.
type inputResult int

const (
	inputEditing inputResult = iota
	inputSubmit
	inputCancel
)

func (in *lineInput) open(p inputPurpose, value string) { in.purpose, in.value = p, value }

func (in *lineInput) close() { in.purpose = inputNone }

// key edits the line: printable text inserts, backspace deletes, ctrl+u
// clears, enter submits, esc cancels.
func (in *lineInput) key(k, text string) inputResult {
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
	case "tab":
		if in.purpose == inputPalette {
			if c := paletteMatches(in.value); len(c) > 0 {
				in.value = c[0] + " "
			}
		}
	default:
		if text != "" {
			in.value += text
		}
	}
	return inputEditing
}

func (in *lineInput) view(st styles, width int) string {
	return fit(st.accent.Render(inputPrompts[in.purpose])+in.value+st.selected.Render(" "), width)
}
