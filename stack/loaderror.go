package stack

import (
	"errors"
	"fmt"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
)

// LoadError is a problem in a compose file, located: the file and line,
// the key (a dotted path such as services.app.ports), compose-go's message
// and a hint saying what to do. Err is the original error.
type LoadError struct {
	// File is the compose file's path as loaded (absolute); empty when the
	// key could not be found in any file.
	File string
	// Line is 1-based; 0 when unknown.
	Line    int
	Key     string
	Message string
	Hint    string
	Err     error
	// display is File relative to the project folder, as the user knows it.
	display string
}

func (e *LoadError) Error() string {
	var b strings.Builder
	if e.display != "" {
		b.WriteString(e.display)
		if e.Line > 0 {
			fmt.Fprintf(&b, ":%d", e.Line)
		}
		b.WriteString(": ")
	}
	if e.Key != "" {
		b.WriteString(e.Key + ": ")
	}
	b.WriteString(e.Message)
	if e.Hint != "" {
		b.WriteString(" (hint: " + e.Hint + ")")
	}
	return b.String()
}

func (e *LoadError) Unwrap() error { return e.Err }

// errorPattern recognises one shape of compose-go error and says which key
// it is about. key returns a dotted path ("" when the shape gives none) and
// the value the message quotes (used to find the key when there is no
// path); file is the file the message names, if any.
type errorPattern struct {
	re   *regexp.Regexp
	read func(m []string) (key, value, file, message string)
}

var errorPatterns = []errorPattern{
	{regexp.MustCompile(`failed to parse (\S+?): yaml: (?:.*?)line (\d+): (.*)`), func(m []string) (string, string, string, string) {
		return "", "", m[1], "line " + m[2] + ": " + m[3]
	}},
	{regexp.MustCompile(`validating (\S+?): (\S*) ?additional properties? (.*) not allowed`), func(m []string) (string, string, string, string) {
		key := strings.Trim(strings.Split(m[3], ",")[0], "' ")
		return joinKey(m[2], key), "", m[1], "unknown key " + strings.Trim(m[3], " ") + " (not in the compose specification)"
	}},
	{regexp.MustCompile(`validating (\S+?): (\S+) (.*)`), func(m []string) (string, string, string, string) {
		return m[2], "", m[1], m[3]
	}},
	{regexp.MustCompile(`'([^']+)' (.*)`), func(m []string) (string, string, string, string) {
		return m[1], "", "", m[2]
	}},
	{regexp.MustCompile(`error while interpolating (\S+): (.*)`), func(m []string) (string, string, string, string) {
		return m[1], "", "", m[2]
	}},
	{regexp.MustCompile(`(?s)invalid interpolation format for (\S+?)\.?\n.*\n(.*)$`), func(m []string) (string, string, string, string) {
		return m[1], "", "", "invalid interpolation format: " + strings.TrimSpace(m[2])
	}},
	{regexp.MustCompile(`service "([^"]+)" depends on undefined service "?([^":]+)"?`), func(m []string) (string, string, string, string) {
		return "services." + m[1] + ".depends_on." + m[2], "", "", "depends on undefined service " + strconv.Quote(m[2])
	}},
	{regexp.MustCompile(`service "([^"]+)" refers to undefined (volume|network|config|secret) (\S+?):?( invalid compose project)?$`), func(m []string) (string, string, string, string) {
		return "services." + m[1] + "." + m[2] + "s." + m[3], "", "", "refers to undefined " + m[2] + " " + strconv.Quote(m[3])
	}},
	{regexp.MustCompile(`service "([^"]+)" (.*?)(: invalid compose project)?$`), func(m []string) (string, string, string, string) {
		return "services." + m[1], "", "", m[2]
	}},
	{regexp.MustCompile(`env file (\S+) not found`), func(m []string) (string, string, string, string) {
		return "services.*.env_file", filepath.Base(m[1]), "", "env file " + m[1] + " not found"
	}},
	{regexp.MustCompile(`(invalid (?:containerPort|hostPort|IP address|port|proto)[^:]*): (.+)`), func(m []string) (string, string, string, string) {
		return "services.*.ports", m[2], "", m[1] + ": " + m[2]
	}},
	{regexp.MustCompile(`((?:services|networks|volumes|secrets|configs)(?:\.[\w.-]+|\[[^\]]+\])+):? (.*)`), func(m []string) (string, string, string, string) {
		return m[1], "", "", m[2]
	}},
}

func joinKey(parent, key string) string {
	if parent == "" {
		return key
	}
	return parent + "." + key
}

// locate turns a loader error into a *LoadError naming file, line and key.
// Errors it cannot place (a missing file, a missing engine) pass unchanged.
func (s sources) locate(err error, workingDir string) error {
	var le *LoadError
	if err == nil || errors.As(err, &le) || errors.Is(err, ErrNoComposeFile) {
		return err
	}
	msg := strings.TrimPrefix(err.Error(), "load project: ")
	msg = strings.TrimPrefix(msg, "decoding failed due to the following error(s):\n\n")
	for _, p := range errorPatterns {
		m := p.re.FindStringSubmatch(msg)
		if m == nil {
			continue
		}
		key, value, file, message := p.read(m)
		le := &LoadError{Key: strings.Trim(key, "."), Message: message, Err: err}
		s.place(le, file, value)
		le.Hint = hintFor(le.Key, msg)
		le.display = displayPath(le.File, workingDir)
		return le
	}
	return err
}

// place fills File and Line from the key (or the quoted value).
func (s sources) place(le *LoadError, file, value string) {
	if line, ok := lineFromMessage(le.Message); ok && file != "" {
		le.File, le.Line = file, line
		return
	}
	path := splitPath(le.Key)
	pos := s.find(path, file)
	if value != "" {
		if vpos, vpath := s.findValue(path, value); vpos.depth > 0 {
			pos, path = vpos, vpath
			le.Key = strings.Join(vpath, ".")
		}
	}
	if pos.depth > 0 {
		le.File, le.Line = pos.file, pos.line
	} else if file != "" {
		le.File = file
	}
	if strings.Contains(le.Key, "*") {
		le.Key = ""
	}
}

var lineRe = regexp.MustCompile(`^line (\d+): `)

func lineFromMessage(msg string) (int, bool) {
	m := lineRe.FindStringSubmatch(msg)
	if m == nil {
		return 0, false
	}
	n, err := strconv.Atoi(m[1])
	return n, err == nil
}

func displayPath(file, workingDir string) string {
	if file == "" || workingDir == "" {
		return file
	}
	if rel, err := filepath.Rel(workingDir, file); err == nil && !strings.HasPrefix(rel, "..") {
		return rel
	}
	return file
}

const portHint = `write ports as "HOST:CONTAINER[/PROTOCOL]", like "8080:80" or "127.0.0.1:8080:80/udp"`

// hints say what to do about the common mistakes, matched on compose-go's
// message (first match wins).
var hints = []struct{ contains, hint string }{
	{"additional propert", "check the spelling and the indentation: the key may belong one level up or down"},
	{"false schema", "check the spelling and the indentation: the key may belong one level up or down"},
	{"invalid size", "sizes are a number with a unit, like 512m or 1g"},
	{"invalid suffix", "sizes are a number with a unit, like 512m or 1g"},
	{"in duration", "durations look like 10s, 1m30s or 500ms"},
	{"required variable", "set the variable in the environment or in the project's .env file"},
	{"invalid interpolation format", "variables are written ${NAME} or ${NAME:-default}; write $$ for a literal $"},
	{"depends on undefined service", "declare that service or remove it from depends_on"},
	{"undefined volume", "declare the volume under the top-level volumes: key, or write a path (./data) for a bind mount"},
	{"undefined network", "declare the network under the top-level networks: key"},
	{"neither an image nor a build", "add image: or build: to the service"},
	{"env file", "create the file, or make it optional with env_file: [{path: FILE, required: false}]"},
	{"invalid containerPort", portHint},
	{"invalid hostPort", portHint},
	{"invalid IP address", portHint},
	{"invalid proto", `the protocol is tcp, udp or sctp, like "53:53/udp"`},
	{"yaml:", "check the indentation and the quoting around that line"},
	{"must be a", "check the value's type against the compose specification"},
	{"failed to cast", "check the value's type against the compose specification"},
}

func hintFor(key, msg string) string {
	for _, h := range hints {
		if strings.Contains(msg, h.contains) {
			return h.hint
		}
	}
	if strings.HasSuffix(key, ".ports") {
		return portHint
	}
	return ""
}
