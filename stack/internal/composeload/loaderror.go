package composeload

import (
	"errors"
	"fmt"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/devstack/devstack/stack/internal/yamlpos"
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
	// Origin says which variables an interpolated value came from and what
	// they held ("the value \"${HTTP_PORT}:80\" comes from HTTP_PORT=abc
	// (from .env)"); empty when the value was written as it is.
	Origin string
	Hint   string
	Err    error
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
	if e.Origin != "" {
		b.WriteString("; " + e.Origin)
	}
	if e.Hint != "" {
		b.WriteString(" (hint: " + e.Hint + ")")
	}
	return b.String()
}

func (e *LoadError) Unwrap() error { return e.Err }

// clue is what an error message says about where the problem is: a
// dotted key, or a quoted value to look for under the key, the file it
// names, a line when the message has one, and the message to show.
type clue struct {
	key, value, file, message string
	line                      int
}

// errorPattern recognises one shape of compose-go error.
type errorPattern struct {
	re   *regexp.Regexp
	read func(m []string) clue
}

var lastLine = regexp.MustCompile(`line (\d+)`)

var errorPatterns = []errorPattern{
	// (?s): yaml's "construct errors:" put the reason on the next lines.
	{regexp.MustCompile(`(?s)failed to parse (\S+?): (?:yaml: )?(.*)`), func(m []string) clue {
		c := clue{file: m[1], message: strings.Join(strings.Fields(m[2]), " ")}
		if all := lastLine.FindAllStringSubmatch(m[2], -1); len(all) > 0 {
			c.line, _ = strconv.Atoi(all[len(all)-1][1])
		}
		return c
	}},
	{regexp.MustCompile(`validating (\S+?): (\S*) ?additional properties? (.*) not allowed`), func(m []string) clue {
		key := strings.Trim(strings.Split(m[3], ",")[0], "' ")
		return clue{key: joinKey(m[2], key), file: m[1], message: "unknown key " + strings.TrimSpace(m[3])}
	}},
	{regexp.MustCompile(`validating (\S+?): (\S+) false schema`), func(m []string) clue {
		p := yamlpos.SplitPath(m[2])
		return clue{key: m[2], file: m[1], message: fmt.Sprintf("unknown key %q", p[len(p)-1])}
	}},
	{regexp.MustCompile(`validating (\S+?): (\S+) (.*)`), func(m []string) clue {
		return clue{key: m[2], file: m[1], message: m[3]}
	}},
	{regexp.MustCompile(`'([^']+)' (.*)`), func(m []string) clue {
		return clue{key: m[1], message: m[2]}
	}},
	{regexp.MustCompile(`error while interpolating (\S+): (.*)`), func(m []string) clue {
		return clue{key: m[1], message: m[2]}
	}},
	{regexp.MustCompile(`(?s)invalid interpolation format for (\S+?)\.?\n.*\n(.*)$`), func(m []string) clue {
		return clue{key: m[1], message: "invalid interpolation format: " + strings.TrimSpace(m[2])}
	}},
	{regexp.MustCompile(`service "([^"]+)" depends on undefined service "?([^":]+)"?`), func(m []string) clue {
		return clue{key: "services." + m[1] + ".depends_on." + m[2], message: "depends on undefined service " + strconv.Quote(m[2])}
	}},
	{regexp.MustCompile(`service "([^"]+)" refers to undefined (volume|network|config|secret) (\S+?):?( invalid compose project)?$`), func(m []string) clue {
		return clue{key: "services." + m[1] + "." + m[2] + "s." + m[3], message: "refers to undefined " + m[2] + " " + strconv.Quote(m[3])}
	}},
	{regexp.MustCompile(`service "([^"]+)" (.*?)(: invalid compose project)?$`), func(m []string) clue {
		return clue{key: "services." + m[1], message: m[2]}
	}},
	{regexp.MustCompile(`env file (\S+) not found`), func(m []string) clue {
		return clue{key: "services.*.env_file", value: filepath.Base(m[1]), message: "env file " + m[1] + " not found"}
	}},
	{regexp.MustCompile(`(invalid (?:containerPort|hostPort|IP address|port|proto)[^:]*): (.+)`), func(m []string) clue {
		return clue{key: "services.*.ports", value: m[2], message: m[1] + ": " + m[2]}
	}},
	{regexp.MustCompile(`((?:services|networks|volumes|secrets|configs)(?:\.[\w.-]+|\[[^\]]+\])+):? (.*)`), func(m []string) clue {
		return clue{key: m[1], message: m[2]}
	}},
}

func joinKey(parent, key string) string {
	if parent == "" {
		return key
	}
	return parent + "." + key
}

// loadVars are the variables a load interpolated with (env), and those of
// them that came from the .env file (dotenv).
type loadVars struct{ env, dotenv map[string]string }

// locate turns a loader error into a *LoadError naming file, line and key,
// and the variables behind an interpolated value.
// Errors it cannot place (a missing file, a missing engine) and unknown
// service names given on the command line pass unchanged.
func locate(files yamlpos.Files, err error, workingDir string, vars loadVars) error {
	var le *LoadError
	if err == nil || errors.As(err, &le) || errors.Is(err, ErrNoComposeFile) || errors.Is(err, ErrUnknownService) {
		return err
	}
	msg := strings.TrimPrefix(err.Error(), "load project: ")
	msg = strings.TrimPrefix(msg, "decoding failed due to the following error(s):\n\n")
	for _, p := range errorPatterns {
		m := p.re.FindStringSubmatch(msg)
		if m == nil {
			continue
		}
		c := p.read(m)
		le := &LoadError{Key: strings.Join(yamlpos.SplitPath(c.key), "."), Message: c.message, Err: err}
		place(files, le, c, vars)
		le.Hint = hintFor(le.Key, msg)
		le.display = DisplayPath(le.File, workingDir)
		return le
	}
	return err
}

// place fills File and Line from the clue: its line when the message had
// one, else the key's position (or the quoted value's, found under the key).
func place(files yamlpos.Files, le *LoadError, c clue, vars loadVars) {
	if c.line > 0 && c.file != "" {
		le.File, le.Line = c.file, c.line
		return
	}
	path := yamlpos.SplitPath(c.key)
	pos := files.Find(path, c.file)
	if c.value != "" {
		vpos, vpath := files.FindValue(path, c.value)
		if vpos.Depth == 0 {
			vpos, vpath = findInterpolated(files, path, c.value, vars.env)
		}
		if vpos.Depth > 0 {
			pos = vpos
			le.Key = strings.Join(vpath, ".")
		}
	}
	if pos.Depth == len(path) || c.value != "" {
		if n := pos.Node; n != nil && n.Kind == yaml.ScalarNode {
			le.Origin = valueOrigin(n.Value, vars.env, vars.dotenv)
		}
	}
	switch {
	case pos.Depth > 0:
		le.File, le.Line = pos.File, pos.Line
	case c.file != "":
		le.File = c.file
	}
	if strings.Contains(le.Key, "*") {
		le.Key = ""
	}
}

// findInterpolated is FindValue for a value that is not in the files as
// written because a variable brought it: it finds the scalar whose
// interpolation with env contains text.
func findInterpolated(files yamlpos.Files, prefix []string, text string, env map[string]string) (yamlpos.Position, []string) {
	if text == "" {
		return yamlpos.Position{}, nil
	}
	return files.FindScalar(prefix, func(v string) bool {
		return strings.Contains(v, "$") && strings.Contains(interpolate(v, env), text)
	})
}

// DisplayPath is a project file's path as the user knows it: relative to
// the project folder when it is inside it, as given otherwise.
func DisplayPath(file, workingDir string) string {
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
	{"excessive aliasing", "the file expands YAML anchors (&name, *name) into too large a document: use each anchor fewer times"},
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
