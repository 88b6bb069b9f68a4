package stack

import (
	"bufio"
	"bytes"
	"fmt"
	"regexp"
	"strings"
)

// dfInstruction is one logical instruction of a Dockerfile: continuation
// lines joined, comments inside it dropped, heredoc bodies consumed.
type dfInstruction struct {
	// Line is the 1-based line of the instruction keyword.
	Line int
	// Cmd is the keyword, upper-cased.
	Cmd string
	// Flags are the leading --name[=value] options, in order.
	Flags []dfFlag
	// Args is the rest of the instruction after the flags.
	Args string
	// Heredocs are the words of the heredocs the instruction opens.
	Heredocs []string
}

type dfFlag struct {
	Name  string
	Value string
}

// dockerfile is a parsed Dockerfile: its escape character (the escape
// parser directive) and instructions.
type dockerfile struct {
	Escape rune
	// Syntax is the frontend image a `# syntax=` directive names.
	Syntax string
	Steps  []dfInstruction
}

var (
	dfDirectiveRe = regexp.MustCompile(`^#\s*([a-zA-Z][a-zA-Z0-9]*)\s*=\s*(.+?)\s*$`)
	// A heredoc opener at the start of a word: <<WORD, <<-WORD, <<"WORD",
	// <<'WORD'.
	dfHeredocRe = regexp.MustCompile(`^<<(-?)(["']?)([A-Za-z_][A-Za-z0-9_]*)(["']?)`)
)

// parseDockerfile splits a Dockerfile into instructions the way the
// Dockerfile frontends do, enough to list stages and spot BuildKit-only
// syntax. It does not validate instructions.
func parseDockerfile(src []byte) (*dockerfile, error) {
	df := &dockerfile{Escape: '\\'}
	lines, err := dfLines(src)
	if err != nil {
		return nil, err
	}
	i := 0
	// Parser directives (syntax, escape, check) are only honoured before
	// anything else, blank lines included; only escape matters here.
	for ; i < len(lines); i++ {
		m := dfDirectiveRe.FindStringSubmatch(strings.TrimSpace(lines[i]))
		if m == nil {
			break
		}
		key := strings.ToLower(m[1])
		if key != "syntax" && key != "escape" && key != "check" {
			break
		}
		if key == "syntax" {
			df.Syntax = m[2]
		}
		if key == "escape" {
			if m[2] != "\\" && m[2] != "`" {
				return nil, fmt.Errorf("dockerfile line %d: invalid escape directive %q: use \\ or `", i+1, m[2])
			}
			df.Escape = rune(m[2][0])
		}
	}
	for i < len(lines) {
		step, next := dfInstructionAt(lines, i, df.Escape)
		i = next
		if step != nil {
			df.Steps = append(df.Steps, *step)
		}
	}
	return df, nil
}

func dfLines(src []byte) ([]string, error) {
	src = bytes.TrimPrefix(src, []byte("\xef\xbb\xbf"))
	var lines []string
	sc := bufio.NewScanner(bytes.NewReader(src))
	sc.Buffer(make([]byte, 64*1024), 4*1024*1024)
	for sc.Scan() {
		lines = append(lines, strings.TrimRight(sc.Text(), "\r"))
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("read dockerfile: %w", err)
	}
	return lines, nil
}

// dfInstructionAt reads the logical instruction starting at lines[i] and
// returns it (nil for a blank or comment line) and the index after it.
func dfInstructionAt(lines []string, i int, escape rune) (*dfInstruction, int) {
	first := strings.TrimSpace(lines[i])
	if first == "" || strings.HasPrefix(first, "#") {
		return nil, i + 1
	}
	start := i
	var b strings.Builder
	for ; i < len(lines); i++ {
		text := strings.TrimLeft(lines[i], " \t")
		if i > start && (strings.HasPrefix(text, "#") || strings.TrimSpace(text) == "") {
			// Comments and blank lines inside a continued instruction are
			// dropped, as the frontends do.
			continue
		}
		text = strings.TrimRight(text, " \t")
		if strings.HasSuffix(text, string(escape)) {
			b.WriteString(strings.TrimSuffix(text, string(escape)))
			continue
		}
		b.WriteString(text)
		i++
		break
	}
	step := dfSplit(b.String(), start+1)
	if step.Cmd == "RUN" || step.Cmd == "COPY" || step.Cmd == "ADD" {
		i = dfConsumeHeredocs(step, lines, i)
	}
	return step, i
}

// dfSplit separates keyword, leading flags and arguments.
func dfSplit(logical string, line int) *dfInstruction {
	cmd, rest := dfCutSpace(strings.TrimSpace(logical))
	step := &dfInstruction{Line: line, Cmd: strings.ToUpper(cmd)}
	for strings.HasPrefix(rest, "--") {
		var word string
		word, rest = dfCutSpace(rest)
		name, value, _ := strings.Cut(strings.TrimPrefix(word, "--"), "=")
		step.Flags = append(step.Flags, dfFlag{Name: strings.ToLower(name), Value: value})
	}
	step.Args = rest
	return step
}

// dfCutSpace splits s at its first run of blanks.
func dfCutSpace(s string) (word, rest string) {
	i := strings.IndexAny(s, " \t")
	if i < 0 {
		return s, ""
	}
	return s[:i], strings.TrimLeft(s[i:], " \t")
}

// dfConsumeHeredocs skips the bodies of the heredocs the instruction opens
// and records their words; it returns the index after the last body.
func dfConsumeHeredocs(step *dfInstruction, lines []string, i int) int {
	for _, word := range dfHeredocWords(step.Args) {
		stripTabs := strings.HasPrefix(word, "-")
		word = strings.TrimPrefix(word, "-")
		step.Heredocs = append(step.Heredocs, word)
		for ; i < len(lines); i++ {
			body := lines[i]
			if stripTabs {
				body = strings.TrimLeft(body, "\t")
			}
			if body == word {
				i++
				break
			}
		}
	}
	return i
}

// dfHeredocWords finds the heredocs an instruction opens: shell words that
// start with << (not the here-string <<<) outside quotes, as BuildKit reads
// them. A "-" prefix on a returned word means <<- (strip leading tabs).
func dfHeredocWords(args string) []string {
	var words []string
	var quote byte
	for i := 0; i < len(args); i++ {
		c := args[i]
		switch {
		case quote != 0:
			if c == quote {
				quote = 0
			}
		case c == '"' || c == '\'':
			quote = c
		case c == '<' && strings.HasPrefix(args[i:], "<<") && !strings.HasPrefix(args[i:], "<<<") &&
			(i == 0 || args[i-1] == ' ' || args[i-1] == '\t'):
			if m := dfHeredocRe.FindStringSubmatch(args[i:]); m != nil && m[2] == m[4] {
				words = append(words, m[1]+m[3])
				i += len(m[0]) - 1
			}
		}
	}
	return words
}

// flag returns the value of a flag of the instruction and whether it is set.
func (s dfInstruction) flag(name string) (string, bool) {
	for _, f := range s.Flags {
		if f.Name == name {
			return f.Value, true
		}
	}
	return "", false
}
