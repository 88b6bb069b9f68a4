package templates

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	tea "charm.land/bubbletea/v2"
	"charm.land/huh/v2"
	"github.com/charmbracelet/x/term"
)

// ErrCancelled means the user left the form without submitting it.
var ErrCancelled = errors.New("cancelled")

// Ask shows a small form on the terminal with one field per option, filled
// with defaults (a key missing there takes the option's default), and
// returns the answers. Secret options are typed without echo.
func Ask(opts []Option, defaults map[string]string) (map[string]string, error) {
	return ask(opts, defaults, os.Stdin, os.Stdout)
}

// AskPlain asks the same questions line by line on in/out, without a full
// screen form: for screen readers, terminals that cannot redraw and piped
// answers. An empty answer keeps the default; secret answers are read
// without echo when in is a terminal.
func AskPlain(opts []Option, defaults map[string]string, in io.Reader, out io.Writer) (map[string]string, error) {
	r := bufio.NewReader(in)
	values := make(map[string]string, len(opts))
	for _, o := range opts {
		def := o.Default
		if v, ok := defaults[o.Key]; ok {
			def = v
		}
		v, err := askLine(r, in, out, o, def)
		if err != nil {
			return nil, fmt.Errorf("template options: %s: %w", o.Key, err)
		}
		values[o.Key] = v
	}
	return values, nil
}

// askLine asks one option until the answer is valid.
func askLine(r *bufio.Reader, in io.Reader, out io.Writer, o Option, def string) (string, error) {
	shown := def
	if o.Secret && def != "" {
		shown = "keep current"
	}
	for {
		fmt.Fprintf(out, "%s", o.Key)
		if o.Help != "" {
			fmt.Fprintf(out, " (%s)", o.Help)
		}
		fmt.Fprintf(out, " [%s]: ", shown)
		line, err := readAnswer(r, in, o.Secret)
		if o.Secret {
			fmt.Fprintln(out)
		}
		if err != nil && (!errors.Is(err, io.EOF) || line == "") {
			if errors.Is(err, io.EOF) && (def != "" || !o.Required) {
				return def, nil
			}
			return "", err
		}
		v := strings.TrimSpace(line)
		if v == "" {
			v = def
		}
		if err := validator(o)(v); err != nil {
			fmt.Fprintln(out, err)
			continue
		}
		return v, nil
	}
}

func readAnswer(r *bufio.Reader, in io.Reader, secret bool) (string, error) {
	if f, ok := in.(interface{ Fd() uintptr }); ok && secret && term.IsTerminal(f.Fd()) {
		b, err := term.ReadPassword(f.Fd())
		return string(b), err
	}
	return r.ReadString('\n')
}

// ask runs the form on in/out; tests pass a window size, which a terminal
// gives by itself.
func ask(opts []Option, defaults map[string]string, in io.Reader, out io.Writer, progOpts ...tea.ProgramOption) (map[string]string, error) {
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
		WithInput(in).WithOutput(out).WithShowHelp(true)
	if len(progOpts) > 0 {
		// Program options replace the form's own input and output.
		form = form.WithProgramOptions(append(progOpts, tea.WithInput(in), tea.WithOutput(out))...)
	}
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

// validator rejects what resolveValues would reject, while the user can
// still fix it.
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
