package templates

import (
	"fmt"
	"path"
	"path/filepath"
	"strings"

	"go.yaml.in/yaml/v3"
)

// literalSecrets finds environment entries of a compose file whose names
// look like credentials and whose values are written in the file itself.
// Pack cannot blank them without rewriting the file, so it warns with the
// line, and the fix: take the value from .env.
func literalSecrets(file string, data []byte) []string {
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
	var out []string
	for i := 0; i+1 < len(services.Content); i += 2 {
		name, svc := services.Content[i].Value, services.Content[i+1]
		env := mappingValue(svc, "environment")
		if env == nil {
			continue
		}
		for _, kv := range envPairs(env) {
			if looksSecret(kv.key) && kv.value != "" && !strings.Contains(kv.value, "$") {
				out = append(out, fmt.Sprintf("%s:%d: services.%s.environment.%s is written in the file, so it is packed as it is; use ${%s} and put the value in .env",
					file, kv.line, name, kv.key, kv.key))
			}
		}
	}
	return out
}

type envPair struct {
	key, value string
	line       int
}

// envPairs reads environment in both its forms: a mapping, or a list of
// KEY=value strings.
func envPairs(env *yaml.Node) []envPair {
	var out []envPair
	switch env.Kind {
	case yaml.MappingNode:
		for i := 0; i+1 < len(env.Content); i += 2 {
			out = append(out, envPair{env.Content[i].Value, env.Content[i+1].Value, env.Content[i].Line})
		}
	case yaml.SequenceNode:
		for _, item := range env.Content {
			k, v, _ := strings.Cut(item.Value, "=")
			out = append(out, envPair{k, v, item.Line})
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
