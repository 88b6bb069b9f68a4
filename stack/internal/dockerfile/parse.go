package dockerfile

import (
	"bufio"
	"bytes"
	"fmt"
	"regexp"
	"strings"
)

// Instruction is one logical instruction of a Dockerfile: continuation
// lines joined, comments inside it dropped, heredoc bodies consumed.
type Instruction struct {
	// Line is the 1-based line of the instruction keyword.
	Line int
	// Cmd is the keyword, upper-cased.
	Cmd string
	// Flags are the leading --name[=value] options, in order.
	Flags []Flag
	// Args is the rest of the instruction after the flags.
	Args string
	// Heredocs are the words of the heredocs the instruction opens.
	Heredocs []string
}

// Flag is one --name[=value] option of an instruction; Name is lower-cased.
type Flag struct {
	Name  string
	Value string
}

// File is a parsed Dockerfile: its escape character (the escape parser
// directive), the frontend it asks for and its instructions.
type File struct {
	Escape rune
	// Syntax is the frontend image a `# syntax=` directive names.
	Syntax       string
	Instructions []Instruction
}

var (
	directiveRe = regexp.MustCompile(`^#\s*([a-zA-Z][a-zA-Z0-9]*)\s*=\s*(.+?)\s*$`)
	// A heredoc opener at the start of a word: <<WORD, <<-WORD, <<"WORD",
	// <<'WORD'.
	heredocRe = regexp.MustCompile(`^<<(-?)(["']?)([A-Za-z_][A-Za-z0-9_]*)(["']?)`)
)

// Parse splits a Dockerfile into instructions the way the Dockerfile
// frontends do, enough to list stages and spot BuildKit-only syntax. It
// does not validate instructions.
func Parse(src []byte) (*File, error) {
	df := &File{Escape: '\\'}
	lines, err := splitLines(src)
	if err != nil {
		return nil, err
	}
	i := 0
	// Parser directives (syntax, escape, check) are only honoured before
	// anything else, blank lines included; only escape matters here.
	for ; i < len(lines); i++ {
		m := directiveRe.FindStringSubmatch(strings.TrimSpace(lines[i]))
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
		step, next := instructionAt(lines, i, df.Escape)
		i = next
		if step != nil {
			df.Instructions = append(df.Instructions, *step)
		}
	}
	return df, nil
}

func splitLines(src []byte) ([]string, error) {
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

// instructionAt reads the logical instruction starting at lines[i] and
// returns it (nil for a blank or comment line) and the index after it.
func instructionAt(lines []string, i int, escape rune) (*Instruction, int) {
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
	step := split(b.String(), start+1)
	if step.Cmd == "RUN" || step.Cmd == "COPY" || step.Cmd == "ADD" {
		i = consumeHeredocs(step, lines, i)
	}
	return step, i
}

// split separates keyword, leading flags and arguments.
func split(logical string, line int) *Instruction {
	cmd, rest := cutSpace(strings.TrimSpace(logical))
	step := &Instruction{Line: line, Cmd: strings.ToUpper(cmd)}
	for strings.HasPrefix(rest, "--") {
		var word string
		word, rest = cutSpace(rest)
		name, value, _ := strings.Cut(strings.TrimPrefix(word, "--"), "=")
		step.Flags = append(step.Flags, Flag{Name: strings.ToLower(name), Value: value})
	}
	step.Args = rest
	return step
}

// cutSpace splits s at its first run of blanks.
func cutSpace(s string) (word, rest string) {
	i := strings.IndexAny(s, " \t")
	if i < 0 {
		return s, ""
	}
	return s[:i], strings.TrimLeft(s[i:], " \t")
}

// consumeHeredocs skips the bodies of the heredocs the instruction opens
// and records their words; it returns the index after the last body.
func consumeHeredocs(step *Instruction, lines []string, i int) int {
	for _, word := range heredocWords(step.Args) {
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

// heredocWords finds the heredocs an instruction opens: shell words that
// start with << (not the here-string <<<) outside quotes, as BuildKit reads
// them. A "-" prefix on a returned word means <<- (strip leading tabs).
func heredocWords(args string) []string {
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
			if m := heredocRe.FindStringSubmatch(args[i:]); m != nil && m[2] == m[4] {
				words = append(words, m[1]+m[3])
				i += len(m[0]) - 1
			}
		}
	}
	return words
}

// flag returns the value of a flag of the instruction and whether it is
// set; name is without the dashes, lower-case.
func (s Instruction) flag(name string) (string, bool) {
	for _, f := range s.Flags {
		if f.Name == name {
			return f.Value, true
		}
	}
	return "", false
}

// Trigger is the instruction an ONBUILD registers, with the heredocs it
// opens; any other instruction is returned as it is. Checks of syntax look
// at it, because the trigger runs in every build FROM the image.
func (s Instruction) Trigger() Instruction {
	if s.Cmd != "ONBUILD" {
		return s
	}
	inner := split(s.Args, s.Line)
	inner.Heredocs = s.Heredocs
	return *inner
}
