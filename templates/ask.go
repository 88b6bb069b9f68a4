package templates

import (
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"charm.land/huh/v2"
)

// ErrCancelled means the user left the form without submitting it.
var ErrCancelled = errors.New("cancelled")

// Ask shows a small form on the terminal with one field per option, filled
// with defaults (a key missing there takes the option's default), and
// returns the answers. Secret options are typed without echo.
func Ask(opts []Option, defaults map[string]string) (map[string]string, error) {
	return ask(opts, defaults, os.Stdin, os.Stdout, false)
}

// AskPlain asks the same questions line by line on in/out, without a full
// screen form: for screen readers and for terminals that cannot redraw.
func AskPlain(opts []Option, defaults map[string]string, in io.Reader, out io.Writer) (map[string]string, error) {
	return ask(opts, defaults, in, out, true)
}

func ask(opts []Option, defaults map[string]string, in io.Reader, out io.Writer, accessible bool) (map[string]string, error) {
	answers := make([]string, len(opts))
	fields := make([]huh.Field, len(opts))
	for i, o := range opts {
		answers[i] = o.Default
		if v, ok := defaults[o.Key]; ok {
			answers[i] = v
		}
		in := huh.NewInput().Title(o.Key).Description(o.Help).Value(&answers[i]).Validate(validator(o))
		if o.Secret {
			in = in.EchoMode(huh.EchoModePassword)
		}
		fields[i] = in
	}
	if len(fields) == 0 {
		return map[string]string{}, nil
	}
	form := huh.NewForm(huh.NewGroup(fields...)).
		WithInput(in).WithOutput(out).WithAccessible(accessible).WithShowHelp(true)
	if err := form.Run(); err != nil {
		if errors.Is(err, huh.ErrUserAborted) {
			return nil, fmt.Errorf("template options: %w", ErrCancelled)
		}
		return nil, fmt.Errorf("template options: %w", err)
	}
	values := make(map[string]string, len(opts))
	for i, o := range opts {
		values[o.Key] = strings.TrimSpace(answers[i])
	}
	return values, nil
}

// validator rejects what Values would reject, while the user can still fix
// it.
func validator(o Option) func(string) error {
	return func(s string) error {
		s = strings.TrimSpace(s)
		if o.Required && s == "" {
			return fmt.Errorf("%s needs a value", o.Key)
		}
		if strings.ContainsAny(s, "\n\r\x00") {
			return fmt.Errorf("%s must be one line", o.Key)
		}
		return nil
	}
}
