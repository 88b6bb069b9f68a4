package tui

import (
	"strings"

	"github.com/charmbracelet/x/ansi"
)

// Text that does not fit is wrapped between words, never cut: a word is cut
// only when it alone is wider than the whole line.

// packWords lays items out on as few lines as width allows, sep between
// them on a line.
func packWords(items []string, width int, sep string) []string {
	var lines []string
	cur, curW := "", 0
	for _, it := range items {
		w := ansi.StringWidth(it)
		switch {
		case curW == 0:
			cur, curW = it, w
		case curW+len(sep)+w <= width:
			cur, curW = cur+sep+it, curW+len(sep)+w
		default:
			lines = append(lines, cur)
			cur, curW = it, w
		}
		if curW > width {
			lines = append(lines, fit(cur, width))
			cur, curW = "", 0
		}
	}
	if curW > 0 {
		lines = append(lines, cur)
	}
	return lines
}

// wrapText wraps plain text at spaces to width; lines after the first
// start with cont (a hanging indent).
func wrapText(text string, width int, cont string) []string {
	if ansi.StringWidth(text) <= width {
		return []string{text}
	}
	var lines []string
	words := strings.Fields(text)
	lead := ""
	for len(words) > 0 {
		n, w := 0, ansi.StringWidth(lead)
		for n < len(words) {
			ww := ansi.StringWidth(words[n])
			if n > 0 {
				ww++
			}
			if w+ww > width && n > 0 {
				break
			}
			w += ww
			n++
		}
		lines = append(lines, fitTrim(lead+strings.Join(words[:n], " "), width))
		words, lead = words[n:], cont
	}
	return lines
}

// fitTrim cuts s to width only when it is wider; it does not pad.
func fitTrim(s string, width int) string {
	if ansi.StringWidth(s) <= width {
		return s
	}
	return fit(s, width)
}
