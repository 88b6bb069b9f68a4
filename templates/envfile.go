package templates

import (
	"bytes"
	"regexp"
	"sort"
	"strings"
)

// exampleSuffix marks an env file whose secret values were blanked by Pack.
const exampleSuffix = ".example"

// isEnvFileName reports whether a file holds KEY=value settings that may be
// secret: .env, .env.local, db.env, mysql.env, and direnv's .envrc.
func isEnvFileName(base string) bool {
	if strings.HasSuffix(base, exampleSuffix) || strings.HasSuffix(base, ".sample") {
		return false
	}
	return base == ".env" || base == ".envrc" || strings.HasPrefix(base, ".env.") || (strings.HasSuffix(base, ".env") && len(base) > 4)
}

var (
	envLineRE = regexp.MustCompile(`^(\s*(?:export\s+)?)([A-Za-z_][A-Za-z0-9_.-]*)(\s*[=:]\s*)(.*)$`)
	// A bare name takes its value from the environment: nothing to hide.
	bareKeyRE = regexp.MustCompile(`^\s*(?:export\s+)?[A-Za-z_][A-Za-z0-9_.-]*\s*$`)
	// A commented-out assignment often keeps an old password.
	commentedRE = regexp.MustCompile(`^(\s*#+\s*(?:export\s+)?[A-Za-z_][A-Za-z0-9_.-]*\s*[=:]).*$`)
	// A value that only names another variable carries no secret of its
	// own; a default (${X:-v}) could, so it does not count.
	referenceRE = regexp.MustCompile(`^(?:\$[A-Za-z_][A-Za-z0-9_]*|\$\{[A-Za-z_][A-Za-z0-9_]*(?::?\?[^}]*)?\})$`)
)

// envLine is one parsed line of an env file.
type envLine struct {
	raw   string // the line as written (comments, blanks)
	key   string // empty for comments and blank lines
	value string // unquoted value
	// head is everything before the value ("export KEY=").
	head string
}

// parseEnv reads an env file leniently: lines it does not understand are
// kept as they are; a quoted value may span lines.
func parseEnv(data []byte) []envLine {
	var out []envLine
	lines := strings.Split(strings.ReplaceAll(string(data), "\r\n", "\n"), "\n")
	if len(lines) > 0 && lines[len(lines)-1] == "" {
		lines = lines[:len(lines)-1]
	}
	for i := 0; i < len(lines); i++ {
		m := envLineRE.FindStringSubmatch(lines[i])
		if m == nil || strings.HasPrefix(strings.TrimSpace(lines[i]), "#") {
			out = append(out, envLine{raw: lines[i]})
			continue
		}
		value := m[4]
		// A quoted value that does not close on its line goes on until
		// the line that closes it.
		if q := firstQuote(value); q != 0 && strings.Count(value, string(q)) == 1 {
			for i+1 < len(lines) {
				i++
				value += "\n" + lines[i]
				if strings.Contains(lines[i], string(q)) {
					break
				}
			}
		}
		out = append(out, envLine{raw: m[0], key: m[2], value: unquote(value), head: m[1] + m[2] + m[3]})
	}
	return out
}

func firstQuote(v string) byte {
	if v != "" && (v[0] == '"' || v[0] == '\'') {
		return v[0]
	}
	return 0
}

func unquote(v string) string {
	v = strings.TrimSpace(v)
	if q := firstQuote(v); q != 0 {
		inner := v[1:]
		if end := strings.LastIndexByte(v, q); end > 0 {
			inner = v[1:end]
		}
		if q == '"' {
			inner = unescapeDouble.Replace(inner)
		}
		return inner
	}
	if i := strings.Index(v, " #"); i >= 0 {
		v = strings.TrimSpace(v[:i])
	}
	return v
}

// blankEnv rewrites an env file with every value emptied except those whose
// key keep allows and those that only reference another variable; comments
// stay, but commented-out values are emptied too, and lines it cannot read
// are dropped. It returns the keys it blanked.
func blankEnv(data []byte, keep func(key string) bool) ([]byte, []string) {
	var buf bytes.Buffer
	var blanked []string
	for _, l := range parseEnv(data) {
		trimmed := strings.TrimSpace(l.raw)
		switch {
		case l.key == "" && (trimmed == "" || bareKeyRE.MatchString(l.raw)):
			buf.WriteString(l.raw)
		case l.key == "" && strings.HasPrefix(trimmed, "#"):
			// Free text stays; a commented-out value goes.
			buf.WriteString(commentedRE.ReplaceAllString(l.raw, "$1"))
		case l.key == "":
			// A line we cannot read could hold anything: it is dropped.
			buf.WriteString("# (a line devstack could not read was left out)")
		case keep(l.key) || referenceRE.MatchString(l.value) || l.value == "":
			buf.WriteString(l.head + quoteEnv(l.value))
		default:
			buf.WriteString(l.head)
			blanked = append(blanked, l.key)
		}
		buf.WriteByte('\n')
	}
	return buf.Bytes(), blanked
}

// fillEnv writes an env file from its example: keys that have a value in
// values get it, the others keep the example's value. Keys of values that
// the example lacks are appended when appendRest is set.
func fillEnv(example []byte, values map[string]string, order []string, appendRest bool) []byte {
	var buf bytes.Buffer
	done := map[string]bool{}
	for _, l := range parseEnv(example) {
		if l.key == "" {
			buf.WriteString(l.raw + "\n")
			continue
		}
		v, ok := values[l.key]
		if !ok {
			v = l.value
		}
		done[l.key] = true
		buf.WriteString(l.head + quoteEnv(v) + "\n")
	}
	if appendRest {
		for _, k := range order {
			if !done[k] {
				buf.WriteString(k + "=" + quoteEnv(values[k]) + "\n")
			}
		}
	}
	return buf.Bytes()
}

// renderDotEnv writes the .env file of a new stack from the template's
// options: a comment with the help, then KEY=value.
func renderDotEnv(opts []Option, values map[string]string) []byte {
	var buf bytes.Buffer
	buf.WriteString("# Written by devstack init from the template's options; compose reads it.\n")
	for _, o := range opts {
		if o.Help != "" {
			buf.WriteString("# " + strings.ReplaceAll(o.Help, "\n", " ") + "\n")
		}
		buf.WriteString(o.Key + "=" + quoteEnv(values[o.Key]) + "\n")
	}
	return buf.Bytes()
}

// unescapeDouble undoes the escapes quoteEnv writes in double quotes.
var unescapeDouble = strings.NewReplacer(`\\`, `\`, `\"`, `"`, `\n`, "\n", `\$`, `$`)

var plainValueRE = regexp.MustCompile(`^[A-Za-z0-9_./:@,+%=-]*$`)

// quoteEnv quotes a value for compose's dotenv reader: single quotes keep it
// literal; a value holding a single quote or a backslash goes in double
// quotes, with '$' escaped so compose does not expand it.
func quoteEnv(v string) string {
	switch {
	case plainValueRE.MatchString(v) || referenceRE.MatchString(v):
		return v
	case !strings.ContainsAny(v, `'\`):
		// compose reads \' inside single quotes as an escaped quote, so a
		// backslash needs the double-quoted form too.
		return "'" + v + "'"
	}
	r := strings.NewReplacer(`\`, `\\`, `"`, `\"`, "\n", `\n`, `$`, `\$`)
	return `"` + r.Replace(v) + `"`
}

// envKeys lists the keys an env file sets, in order.
func envKeys(data []byte) []string {
	var keys []string
	for _, l := range parseEnv(data) {
		if l.key != "" {
			keys = append(keys, l.key)
		}
	}
	return keys
}

// envValues maps an env file's keys to their values.
func envValues(data []byte) map[string]string {
	m := map[string]string{}
	for _, l := range parseEnv(data) {
		if l.key != "" {
			m[l.key] = l.value
		}
	}
	return m
}

func sortedKeys(m map[string]string) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
