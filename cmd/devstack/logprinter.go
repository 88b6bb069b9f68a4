package main

import (
	"bufio"
	"fmt"
	"time"

	"github.com/devstack/devstack/stack"
)

// logPrinter writes merged log lines with a padded, coloured prefix per
// container, like docker compose logs.
type logPrinter struct {
	w          *bufio.Writer
	color      bool
	timestamps bool
	noPrefix   bool
	colors     map[string]int
	width      int
}

// prefixColors are the ANSI colours compose cycles through.
var prefixColors = []int{36, 33, 32, 35, 34, 96, 93, 92, 95, 94}

func newLogPrinter(g *globals, timestamps, noPrefix bool) *logPrinter {
	return &logPrinter{w: bufio.NewWriterSize(g.stdout, 64<<10), color: useColor(g, g.stdout),
		timestamps: timestamps, noPrefix: noPrefix, colors: map[string]int{}}
}

func (lp *logPrinter) print(batch []stack.LogLine) {
	for _, l := range batch {
		name := l.ContainerName
		if name == "" {
			name = l.Service
		}
		if len(name) > lp.width {
			lp.width = len(name)
		}
		if !lp.noPrefix {
			prefix := fmt.Sprintf("%-*s |", lp.width, name)
			if lp.color {
				c, ok := lp.colors[name]
				if !ok {
					c = prefixColors[len(lp.colors)%len(prefixColors)]
					lp.colors[name] = c
				}
				prefix = fmt.Sprintf("\x1b[%dm%s\x1b[0m", c, prefix)
			}
			lp.w.WriteString(prefix + " ")
		}
		if lp.timestamps && !l.Time.IsZero() {
			lp.w.WriteString(l.Time.UTC().Format(time.RFC3339Nano) + " ")
		}
		lp.w.WriteString(l.Text)
		lp.w.WriteByte('\n')
	}
	lp.w.Flush()
}
