package composeload

import (
	"io"
	"regexp"
	"strings"
	"sync"

	"github.com/sirupsen/logrus"
)

// logMu serialises loads while compose-go's logger is redirected.
var logMu sync.Mutex

// captureLogs runs fn with compose-go's warnings (it logs them through
// logrus's standard logger: unset variables, the obsolete version key,
// several compose files found) collected instead of printed: printed, they
// would land in the middle of the TUI's screen. The standard logger is
// process-wide, so other logrus output during fn is held back too.
func captureLogs(fn func() error) ([]string, error) {
	logMu.Lock()
	defer logMu.Unlock()
	std := logrus.StandardLogger()
	hook := &logHook{}
	out := std.Out
	hooks := std.ReplaceHooks(logrus.LevelHooks{})
	std.AddHook(hook)
	std.SetOutput(io.Discard)
	defer func() {
		std.SetOutput(out)
		std.ReplaceHooks(hooks)
	}()
	err := fn()
	return hook.messages, err
}

type logHook struct{ messages []string }

func (h *logHook) Levels() []logrus.Level {
	return []logrus.Level{logrus.PanicLevel, logrus.FatalLevel, logrus.ErrorLevel, logrus.WarnLevel}
}

func (h *logHook) Fire(e *logrus.Entry) error {
	h.messages = append(h.messages, e.Message)
	return nil
}

var unsetVar = regexp.MustCompile(`^The "(\w+)" variable is not set`)

// logWarnings turns compose-go's log messages into warnings, placed on the
// first place that uses the variable when the message is about one.
func (r *Result) logWarnings(messages []string) []Warning {
	var out []Warning
	for _, m := range messages {
		w := Warning{Message: m}
		if v := unsetVar.FindStringSubmatch(m); v != nil {
			for _, ref := range []string{"${" + v[1] + "}", "${" + v[1] + ":", "${" + v[1] + "-", "$" + v[1]} {
				if pos, path := r.sources.FindValue(nil, ref); pos.Depth > 0 {
					w.File, w.Line = pos.File, pos.Line
					w.Service, w.Key = pathSubject(path)
					break
				}
			}
		}
		out = append(out, w)
	}
	return out
}

// pathSubject splits services.<name>.<key...> into service and key.
func pathSubject(path []string) (service, key string) {
	if len(path) >= 2 && path[0] == "services" {
		return path[1], strings.Join(path[2:], ".")
	}
	return "", strings.Join(path, ".")
}
