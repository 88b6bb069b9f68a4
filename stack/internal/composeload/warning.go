package composeload

import "fmt"

// Warning is a non-fatal finding about a compose file.
type Warning struct {
	// File is relative to the project folder when it is inside it.
	File    string
	Line    int
	Service string
	Key     string
	Message string
}

func (w Warning) String() string {
	pos := w.File
	if w.Line > 0 {
		pos = fmt.Sprintf("%s:%d", w.File, w.Line)
	}
	subject := w.Key
	if w.Service != "" {
		subject = "services." + w.Service
		if w.Key != "" {
			subject += "." + w.Key
		}
	}
	switch {
	case pos != "" && subject != "":
		return fmt.Sprintf("%s: %s: %s", pos, subject, w.Message)
	case pos != "":
		return fmt.Sprintf("%s: %s", pos, w.Message)
	case subject != "":
		return fmt.Sprintf("%s: %s", subject, w.Message)
	}
	return w.Message
}

// warnAt is a warning about a service's key, placed where path is written.
func (r *Result) warnAt(path []string, service, key, msg string) Warning {
	w := Warning{Service: service, Key: key, Message: msg}
	if pos := r.sources.Find(path, ""); pos.Depth > 0 {
		w.File, w.Line = pos.File, pos.Line
	}
	return w
}
