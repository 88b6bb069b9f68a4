package main

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
	"text/template"
	"time"
)

// rowFormat prints rows the way the docker CLI's --format does: "table"
// (the verb's default columns), "table TEMPLATE" (a header row then one
// row each, aligned), "json" (one object a line) or a bare TEMPLATE.
// Rows are maps from field name ({{.Name}}) to text.
type rowFormat struct {
	// defaultTable is the template of plain "table" (and of "").
	defaultTable string
	// headers name each field's column.
	headers map[string]string
}

var templateFuncs = template.FuncMap{
	"json": func(v any) (string, error) {
		b, err := json.Marshal(v)
		return string(b), err
	},
	"lower": strings.ToLower,
	"upper": strings.ToUpper,
	"join":  strings.Join,
	"split": strings.Split,
}

// print renders rows in format to w.
func (f rowFormat) print(w io.Writer, format string, rows []map[string]string) error {
	if format == "" || format == "table" {
		format = f.defaultTable
	}
	if format == "json" {
		enc := json.NewEncoder(w)
		enc.SetEscapeHTML(false)
		for _, r := range rows {
			if err := enc.Encode(r); err != nil {
				return err
			}
		}
		return nil
	}
	body, table := strings.CutPrefix(format, "table")
	body = strings.NewReplacer(`\t`, "\t", `\n`, "\n").Replace(strings.Trim(body, " "))
	tmpl, err := template.New("format").Funcs(templateFuncs).Option("missingkey=error").Parse(body + "\n")
	if err != nil {
		return fmt.Errorf("--format %q: %w", format, err)
	}
	out := w
	var tw *tabwriter.Writer
	if table {
		tw = tabwriter.NewWriter(w, 10, 1, 3, ' ', 0)
		out = tw
		if err := tmpl.Execute(out, f.headers); err != nil {
			return fmt.Errorf("--format %q: %w", format, err)
		}
	}
	for _, r := range rows {
		if err := tmpl.Execute(out, r); err != nil {
			return fmt.Errorf("--format %q: %w", format, err)
		}
	}
	if tw != nil {
		return tw.Flush()
	}
	return nil
}

// decimalSize renders a byte count as the docker CLI does for I/O
// (go-units' HumanSizeWithPrecision(n, 3)): 1000-based, 3 significant digits.
func decimalSize(n float64) string {
	return scaledSize(n, 1000, "%.3g%s", "B", "kB", "MB", "GB", "TB", "PB", "EB", "ZB", "YB")
}

// binarySize renders a byte count as the docker CLI does for memory
// (go-units' BytesSize): 1024-based, 4 significant digits.
func binarySize(n float64) string {
	return scaledSize(n, 1024, "%.4g%s", "B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB", "ZiB", "YiB")
}

func scaledSize(n, base float64, format string, units ...string) string {
	i := 0
	for n >= base && i < len(units)-1 {
		n /= base
		i++
	}
	return fmt.Sprintf(format, n, units[i])
}

// humanDuration renders an age as the docker CLI does (go-units'
// HumanDuration): "About a minute", "3 hours", "2 weeks".
func humanDuration(d time.Duration) string {
	seconds, minutes, hours := int(d.Seconds()), int(d.Minutes()), int(d.Hours()+0.5)
	switch {
	case seconds < 1:
		return "Less than a second"
	case seconds == 1:
		return "1 second"
	case seconds < 60:
		return fmt.Sprintf("%d seconds", seconds)
	case minutes == 1:
		return "About a minute"
	case minutes < 60:
		return fmt.Sprintf("%d minutes", minutes)
	case hours == 1:
		return "About an hour"
	case hours < 48:
		return fmt.Sprintf("%d hours", hours)
	case hours < 24*7*2:
		return fmt.Sprintf("%d days", hours/24)
	case hours < 24*30*2:
		return fmt.Sprintf("%d weeks", hours/24/7)
	case hours < 24*365*2:
		return fmt.Sprintf("%d months", hours/24/30)
	}
	return fmt.Sprintf("%d years", int(d.Hours())/24/365)
}

// shortID is an image or container ID as the docker CLI shows it: without
// its algorithm, 12 characters.
func shortID(id string) string {
	id = withoutAlgorithm(id)
	if len(id) > 12 {
		id = id[:12]
	}
	return id
}

// withoutAlgorithm drops the "sha256:" of an ID.
func withoutAlgorithm(id string) string {
	if _, after, ok := strings.Cut(id, ":"); ok {
		return after
	}
	return id
}
