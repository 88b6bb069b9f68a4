package tui

import (
	"fmt"
	"strings"

	"github.com/charmbracelet/x/ansi"
)

// maxLineBytes caps a stored line: a multi-megabyte line (a minified
// bundle, a base64 blob) must not make every frame slow.
const maxLineBytes = 16 << 10

// sanitizeLine makes a log line safe to draw: it keeps colour (SGR)
// sequences, drops every other escape and control sequence (cursor moves
// would tear the screen), keeps what follows the last carriage return (what
// a terminal shows of a progress bar), expands tabs and caps the length.
// ascii reports plain printable ASCII; esc reports kept SGR sequences.
func sanitizeLine(s string) (text string, ascii, esc bool) {
	cut := 0
	if len(s) > maxLineBytes {
		cut = len(s) - maxLineBytes
		s = strings.ToValidUTF8(s[:maxLineBytes], "")
	}
	ascii = true
	clean := true
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < 0x20 || c == 0x7f {
			clean = false
			break
		}
		if c >= 0x80 {
			ascii = false
		}
	}
	if !clean {
		s, esc = stripControls(s)
		ascii = false
	}
	if cut > 0 {
		s += fmt.Sprintf(" …[%d bytes cut]", cut)
	}
	return s, ascii, esc
}

// stripControls is the slow path of sanitizeLine.
func stripControls(s string) (string, bool) {
	if i := strings.LastIndexByte(strings.TrimRight(s, "\r"), '\r'); i >= 0 {
		s = s[i+1:]
	}
	var b strings.Builder
	b.Grow(len(s))
	esc := false
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '\t':
			b.WriteString("    ")
		case c == 0x1b:
			n, keep := escapeLen(s[i:])
			if keep {
				b.WriteString(s[i : i+n])
				esc = true
			}
			i += n - 1
		case c < 0x20 || c == 0x7f:
		default:
			b.WriteByte(c)
		}
	}
	return b.String(), esc
}

// escapeLen measures the escape sequence at the start of s and says
// whether it is an SGR (colour) sequence worth keeping.
func escapeLen(s string) (int, bool) {
	if len(s) < 2 {
		return len(s), false
	}
	switch s[1] {
	case '[':
		for j := 2; j < len(s); j++ {
			if s[j] >= 0x40 && s[j] <= 0x7e {
				return j + 1, s[j] == 'm'
			}
		}
		return len(s), false
	case ']', 'P', '_', '^':
		for j := 2; j < len(s); j++ {
			if s[j] == 0x07 {
				return j + 1, false
			}
			if s[j] == 0x1b && j+1 < len(s) && s[j+1] == '\\' {
				return j + 2, false
			}
		}
		return len(s), false
	}
	return 2, false
}

// cutLine returns the part of a stored line that fits in w cells.
func cutLine(e *logEntry, w int) string {
	if w <= 0 {
		return ""
	}
	if e.ascii {
		if len(e.text) > w {
			return e.text[:w]
		}
		return e.text
	}
	s := e.text
	// Bound the work for one line before the exact (and slower) cut: four
	// bytes per cell plus room for colour sequences.
	if budget := w*4 + 256; len(s) > budget {
		s = strings.ToValidUTF8(s[:budget], "")
	}
	s = ansi.Truncate(s, w, "")
	if e.esc {
		s += ansi.ResetStyle
	}
	return s
}

// wrapLine splits a stored line into rows of at most w cells.
func wrapLine(e *logEntry, w int) []string {
	if w <= 0 {
		return nil
	}
	if e.ascii {
		if len(e.text) <= w {
			return []string{e.text}
		}
		rows := make([]string, 0, len(e.text)/w+1)
		for s := e.text; len(s) > 0; {
			n := min(w, len(s))
			rows = append(rows, s[:n])
			s = s[n:]
		}
		return rows
	}
	rows := strings.Split(ansi.Hardwrap(e.text, w, true), "\n")
	if e.esc {
		for i := range rows {
			rows[i] += ansi.ResetStyle
		}
	}
	return rows
}
