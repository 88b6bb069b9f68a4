package dockerfile

import "strings"

// expand substitutes $VAR, ${VAR}, ${VAR:-word},
// ${VAR:+word}, ${VAR-word} and ${VAR+word} the way Dockerfile
// instructions do. An unset variable expands to nothing; the escape
// character makes the next $ literal.
func expand(s string, vars map[string]string, escape rune) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case rune(c) == escape && i+1 < len(s) && s[i+1] == '$':
			b.WriteByte('$')
			i++
		case c == '$' && i+1 < len(s) && s[i+1] == '{':
			end := closingBrace(s[i:])
			if end < 0 {
				b.WriteString(s[i:])
				return b.String()
			}
			b.WriteString(expandBraced(s[i+2:i+end], vars, escape))
			i += end
		case c == '$' && i+1 < len(s) && isVarStart(s[i+1]):
			j := i + 1
			for j < len(s) && isVarChar(s[j]) {
				j++
			}
			b.WriteString(vars[s[i+1:j]])
			i = j - 1
		default:
			b.WriteByte(c)
		}
	}
	return b.String()
}

// expandBraced expands the inside of ${...}.
func expandBraced(expr string, vars map[string]string, escape rune) string {
	j := 0
	for j < len(expr) && isVarChar(expr[j]) {
		j++
	}
	name, op := expr[:j], expr[j:]
	value, set := vars[name]
	switch {
	case strings.HasPrefix(op, ":-"):
		if value == "" {
			return expand(op[2:], vars, escape)
		}
	case strings.HasPrefix(op, ":+"):
		if value != "" {
			return expand(op[2:], vars, escape)
		}
		return ""
	case strings.HasPrefix(op, "-"):
		if !set {
			return expand(op[1:], vars, escape)
		}
	case strings.HasPrefix(op, "+"):
		if set {
			return expand(op[1:], vars, escape)
		}
		return ""
	}
	return value
}

// closingBrace is the index in s (which starts with "${") of the brace
// that closes it, or -1.
func closingBrace(s string) int {
	depth := 0
	for i := 1; i < len(s); i++ {
		switch s[i] {
		case '{':
			depth++
		case '}':
			depth--
			if depth == 0 {
				return i
			}
		}
	}
	return -1
}

func isVarStart(c byte) bool {
	return c == '_' || ('a' <= c && c <= 'z') || ('A' <= c && c <= 'Z')
}

func isVarChar(c byte) bool {
	return isVarStart(c) || ('0' <= c && c <= '9')
}
