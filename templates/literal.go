package templates

import (
	"fmt"
	"path"
	"path/filepath"
	"strings"

	"go.yaml.in/yaml/v3"
)

// literalSecret is an environment entry of a compose file whose name looks
// like a credential and whose value is written in the file itself.
type literalSecret struct {
	service, key string
	// node is the scalar that holds the value: the mapping's value, or the
	// list item "KEY=value".
	node *yaml.Node
	item bool
}

// findLiteralSecrets lists the literal credentials of a compose file.
func findLiteralSecrets(data []byte) []literalSecret {
	var doc yaml.Node
	if yaml.Unmarshal(data, &doc) != nil || len(doc.Content) == 0 {
		return nil
	}
	services := mappingValue(doc.Content[0], "services")
	if services == nil {
		services = doc.Content[0] // legacy v1: services at the top level
	}
	if services.Kind != yaml.MappingNode {
		return nil
	}
	var out []literalSecret
	for i := 0; i+1 < len(services.Content); i += 2 {
		name, svc := services.Content[i].Value, services.Content[i+1]
		env := mappingValue(svc, "environment")
		if env == nil {
			continue
		}
		for _, kv := range envPairs(env) {
			if looksSecret(kv.key) && kv.value != "" && !strings.Contains(kv.value, "$") {
				out = append(out, literalSecret{service: name, key: kv.key, node: kv.node, item: env.Kind == yaml.SequenceNode})
			}
		}
	}
	return out
}

// redactLiteralSecrets rewrites each literal credential of a compose file
// as ${KEY}, in place, so the package never carries it and init asks for
// it instead. It returns the new content, the keys it took out, and
// warnings (file:line) for values it could not rewrite safely — written
// over several lines — which it refuses to pack rather than ship.
func redactLiteralSecrets(file string, data []byte) ([]byte, []string, error) {
	found := findLiteralSecrets(data)
	if len(found) == 0 {
		return data, nil, nil
	}
	lines := strings.SplitAfter(string(data), "\n")
	var keys []string
	for _, ls := range found {
		n := ls.node
		line := lines[n.Line-1]
		start := n.Column - 1
		end := scalarEnd(line, start, n.Style)
		if end < 0 {
			return nil, nil, fmt.Errorf("%s:%d: services.%s.environment.%s holds a credential written over several lines: put it in .env and write ${%s}, so it is not packed",
				file, n.Line, ls.service, ls.key, ls.key)
		}
		value := "${" + ls.key + "}"
		if ls.item {
			value = ls.key + "=" + value
		}
		lines[n.Line-1] = line[:start] + quoteLike(value, n.Style) + line[end:]
		keys = append(keys, ls.key)
	}
	out := []byte(strings.Join(lines, ""))
	if left := findLiteralSecrets(out); len(left) > 0 {
		n := left[0].node
		return nil, nil, fmt.Errorf("%s:%d: services.%s.environment.%s holds a credential that pack could not take out: put it in .env and write ${%s}",
			file, n.Line, left[0].service, left[0].key, left[0].key)
	}
	return out, keys, nil
}

// scalarEnd is where the one-line scalar starting at start ends, or -1
// when it goes on past the line.
func scalarEnd(line string, start int, style yaml.Style) int {
	if start >= len(line) {
		return -1
	}
	switch style {
	case yaml.DoubleQuotedStyle:
		for i := start + 1; i < len(line); i++ {
			switch line[i] {
			case '\\':
				i++
			case '"':
				return i + 1
			}
		}
		return -1
	case yaml.SingleQuotedStyle:
		for i := start + 1; i < len(line); i++ {
			if line[i] == '\'' {
				if i+1 < len(line) && line[i+1] == '\'' {
					i++
					continue
				}
				return i + 1
			}
		}
		return -1
	case 0:
		end := len(strings.TrimRight(line, "\r\n"))
		if c := strings.Index(line[start:end], " #"); c >= 0 {
			end = start + c
		}
		return start + len(strings.TrimRight(line[start:end], " \t"))
	}
	return -1 // block scalars: | and >
}

// quoteLike writes v in the quoting the value had.
func quoteLike(v string, style yaml.Style) string {
	switch style {
	case yaml.DoubleQuotedStyle:
		return `"` + v + `"`
	case yaml.SingleQuotedStyle:
		return "'" + v + "'"
	}
	return v
}

type envPair struct {
	key, value string
	node       *yaml.Node
}

// envPairs reads environment in both its forms: a mapping, or a list of
// KEY=value strings.
func envPairs(env *yaml.Node) []envPair {
	var out []envPair
	switch env.Kind {
	case yaml.MappingNode:
		for i := 0; i+1 < len(env.Content); i += 2 {
			out = append(out, envPair{env.Content[i].Value, env.Content[i+1].Value, env.Content[i+1]})
		}
	case yaml.SequenceNode:
		for _, item := range env.Content {
			k, v, _ := strings.Cut(item.Value, "=")
			out = append(out, envPair{k, v, item})
		}
	}
	return out
}

func mappingValue(n *yaml.Node, key string) *yaml.Node {
	if n == nil || n.Kind != yaml.MappingNode {
		return nil
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		if n.Content[i].Value == key {
			return n.Content[i+1]
		}
	}
	return nil
}

// composeSecretFiles lists the files a compose file declares as secrets
// (top-level secrets: NAME: file: PATH), as cleaned paths relative to the
// project folder; absolute and outside paths are not in the folder anyway.
func composeSecretFiles(data []byte) []string {
	var doc yaml.Node
	if yaml.Unmarshal(data, &doc) != nil || len(doc.Content) == 0 {
		return nil
	}
	secrets := mappingValue(doc.Content[0], "secrets")
	if secrets == nil || secrets.Kind != yaml.MappingNode {
		return nil
	}
	var out []string
	for i := 1; i < len(secrets.Content); i += 2 {
		if f := mappingValue(secrets.Content[i], "file"); f != nil && f.Kind == yaml.ScalarNode {
			p := path.Clean(strings.TrimPrefix(filepath.ToSlash(f.Value), "./"))
			if checkRelPath(p) == nil {
				out = append(out, p)
			}
		}
	}
	return out
}
