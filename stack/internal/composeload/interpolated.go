package composeload

import (
	"fmt"
	"slices"
	"strings"

	"github.com/compose-spec/compose-go/v2/template"
)

// interpolate substitutes variables in a compose value the way compose-go
// does; a value it cannot substitute comes back as written.
func interpolate(v string, env map[string]string) string {
	out, err := template.Substitute(v, func(k string) (string, bool) {
		val, ok := env[k]
		return val, ok
	})
	if err != nil {
		return v
	}
	return out
}

// valueOrigin says which variables a compose value was made from and what
// they held: "HTTP_PORT=abc (from .env)". dotenv holds the variables that
// came from the project's .env file rather than the environment. Empty
// when the value refers to no variable.
func valueOrigin(raw string, env, dotenv map[string]string) string {
	var parts []string
	for _, m := range varRef.FindAllStringSubmatch(raw, -1) {
		name := m[1] + m[2]
		if name == "" {
			continue // $$
		}
		val, set := env[name]
		var part string
		switch _, fromFile := dotenv[name]; {
		case !set:
			part = name + " is not set"
		case fromFile:
			part = fmt.Sprintf("%s=%s (from .env)", name, val)
		default:
			part = fmt.Sprintf("%s=%s (from the environment)", name, val)
		}
		if !slices.Contains(parts, part) {
			parts = append(parts, part)
		}
	}
	if len(parts) == 0 {
		return ""
	}
	return fmt.Sprintf("the value %q comes from %s", raw, strings.Join(parts, ", "))
}
