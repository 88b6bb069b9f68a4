package tui

import (
	"image/color"

	"charm.land/lipgloss/v2"
)

// palette is the small set of semantic colours everything is drawn with.
type palette struct {
	accent, muted, ok, warn, err, border color.Color
	// services colour log prefixes, picked by service index.
	services []color.Color
}

var darkPalette = palette{
	accent: lipgloss.Color("#7AA2F7"),
	muted:  lipgloss.Color("#787C99"),
	ok:     lipgloss.Color("#9ECE6A"),
	warn:   lipgloss.Color("#E0AF68"),
	err:    lipgloss.Color("#F7768E"),
	border: lipgloss.Color("#3B4261"),
	services: []color.Color{
		lipgloss.Color("#7DCFFF"), lipgloss.Color("#BB9AF7"), lipgloss.Color("#9ECE6A"),
		lipgloss.Color("#E0AF68"), lipgloss.Color("#FF9E64"), lipgloss.Color("#2AC3DE"),
		lipgloss.Color("#C0CAF5"), lipgloss.Color("#F7768E"),
	},
}

var lightPalette = palette{
	accent: lipgloss.Color("#2E59C7"),
	muted:  lipgloss.Color("#6B6F80"),
	ok:     lipgloss.Color("#2F7D1E"),
	warn:   lipgloss.Color("#8F5E00"),
	err:    lipgloss.Color("#C0203C"),
	border: lipgloss.Color("#B4B9CC"),
	services: []color.Color{
		lipgloss.Color("#006C8F"), lipgloss.Color("#7B3FBF"), lipgloss.Color("#2F7D1E"),
		lipgloss.Color("#8F5E00"), lipgloss.Color("#B34700"), lipgloss.Color("#00708A"),
		lipgloss.Color("#3A3F58"), lipgloss.Color("#C0203C"),
	},
}

// styles are every style the screen uses; only this file builds them.
type styles struct {
	dark, noColor bool

	plain, bold, accent, muted, ok, warn, err   lipgloss.Style
	title, tableHeader, selected, sortedHeader  lipgloss.Style
	match, currentMatch, banner, box, key, hint lipgloss.Style
	services                                    []lipgloss.Style

	// cells remembers table cells already fitted and coloured with
	// these styles (a new set of styles starts an empty memo).
	cells *cellMemo
}

// newStyles builds the styles for a dark or light background; noColor keeps
// only attributes (bold, reverse), as NO_COLOR asks.
func newStyles(dark, noColor bool) styles {
	p := lightPalette
	if dark {
		p = darkPalette
	}
	fg := func(c color.Color) lipgloss.Style {
		if noColor {
			return lipgloss.NewStyle()
		}
		return lipgloss.NewStyle().Foreground(c)
	}
	s := styles{dark: dark, noColor: noColor, cells: newCellMemo()}
	s.plain = lipgloss.NewStyle()
	s.bold = lipgloss.NewStyle().Bold(true)
	s.accent = fg(p.accent)
	s.muted = fg(p.muted)
	s.ok = fg(p.ok)
	s.warn = fg(p.warn)
	s.err = fg(p.err).Bold(true)
	s.title = fg(p.accent).Bold(true)
	s.tableHeader = fg(p.muted).Bold(true)
	s.sortedHeader = fg(p.accent).Bold(true).Underline(true)
	s.selected = lipgloss.NewStyle().Reverse(true)
	s.match = lipgloss.NewStyle().Reverse(true)
	s.currentMatch = fg(p.warn).Reverse(true).Bold(true)
	s.banner = fg(p.err).Bold(true).Reverse(true)
	s.box = lipgloss.NewStyle().Border(lipgloss.RoundedBorder()).Padding(0, 1)
	if !noColor {
		s.box = s.box.BorderForeground(p.border)
	}
	s.key = fg(p.accent).Bold(true)
	s.hint = fg(p.muted)
	for _, c := range p.services {
		s.services = append(s.services, fg(c))
	}
	return s
}

// service is the style of a service's log prefix.
func (s styles) service(i int) lipgloss.Style {
	if i < 0 || len(s.services) == 0 {
		return s.plain
	}
	return s.services[i%len(s.services)]
}

// stateStyle colours a state glyph by how healthy it is.
func (s styles) stateStyle(k stateKind) lipgloss.Style {
	switch k {
	case kindOK:
		return s.ok
	case kindWarn:
		return s.warn
	case kindErr:
		return s.err
	}
	return s.muted
}
