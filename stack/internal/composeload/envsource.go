package composeload

import (
	"os"
	"regexp"
	"sort"
	"strings"

	"github.com/compose-spec/compose-go/v2/cli"
	"github.com/compose-spec/compose-go/v2/dotenv"
	"github.com/compose-spec/compose-go/v2/types"
	"go.yaml.in/yaml/v3"

	"github.com/devstack/devstack/stack/internal/yamlpos"
)

// EnvSource says where an environment value came from.
type EnvSource string

// Where environment values come from.
const (
	EnvFromEnvironment EnvSource = "environment"
	EnvFromEnvFile     EnvSource = "env_file"
	EnvFromDotEnv      EnvSource = ".env"
	EnvFromImage       EnvSource = "image"
)

// EnvVar is one environment variable of a service and its origin.
type EnvVar struct {
	Name   string
	Value  string
	Source EnvSource
	// File is the env_file the value came from, when Source is EnvFromEnvFile.
	File string
	// Secret is set when the name suggests a credential; UIs mask it.
	Secret bool
}

// dotenvOnly returns the variables that the project's env files (.env or
// --env-file) define and the process environment does not: a ${VAR} in a
// compose file that resolved to one of these took its value from .env.
func dotenvOnly(po *cli.ProjectOptions) map[string]string {
	vars, err := dotenv.GetEnvFromFile(map[string]string{}, po.EnvFiles)
	if err != nil {
		// compose-go already reported a broken env file while loading.
		return nil
	}
	for k := range vars {
		if _, ok := os.LookupEnv(k); ok {
			delete(vars, k)
		}
	}
	return vars
}

// varRef finds the variables a compose value refers to: $NAME, ${NAME},
// ${NAME:-default}, ${NAME?err}...; $$ is a literal dollar.
var varRef = regexp.MustCompile(`\$(?:\$|\{([A-Za-z_][A-Za-z0-9_]*)|([A-Za-z_][A-Za-z0-9_]*))`)

// Env lists the final environment of the service with that name (active or
// not), each variable with where it came from.
func (r *Result) Env(service string) []EnvVar {
	sc := lookupService(r.Model, service)
	// Each model is searched on both sides: the raw one is taken before
	// LoadOptions.Services is applied, so a service left out by that
	// selection is disabled in the final model but active in the raw one.
	raw := lookupService(r.raw, service)
	return r.envVars(raw, sc.Environment, r.Model.WorkingDir)
}

// lookupService finds a service of the model, active or disabled.
func lookupService(model *types.Project, name string) types.ServiceConfig {
	if sc, ok := model.Services[name]; ok {
		return sc
	}
	return model.DisabledServices[name]
}

// envVars lists a service's final environment, each variable with where it
// came from. final is the resolved environment (env_file folded in), raw
// the service before that step.
func (r *Result) envVars(raw types.ServiceConfig, final types.MappingWithEquals, workingDir string) []EnvVar {
	fromFiles := envFileOrigins(raw.EnvFiles)
	out := make([]EnvVar, 0, len(final))
	for name, v := range final {
		e := EnvVar{Name: name, Source: EnvFromEnvironment, Secret: looksSecret(name)}
		if v != nil {
			e.Value = *v
		}
		if _, explicit := raw.Environment[name]; explicit {
			if r.fromDotEnv(raw.Name, name) {
				e.Source = EnvFromDotEnv
			}
		} else if file, ok := fromFiles[name]; ok {
			e.Source, e.File = EnvFromEnvFile, DisplayPath(file, workingDir)
		}
		out = append(out, e)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

// envFileOrigins maps each variable to the last env_file that sets it
// (later files override earlier ones, as compose loads them).
func envFileOrigins(files []types.EnvFile) map[string]string {
	origins := map[string]string{}
	for _, f := range files {
		// Only the keys matter here; claiming every variable is set keeps
		// the reader from warning about ${VAR} references it cannot see.
		vars, err := dotenv.ReadFile(f.Path, func(string) (string, bool) { return "", true })
		if err != nil {
			continue
		}
		for k := range vars {
			origins[k] = f.Path
		}
	}
	return origins
}

// fromDotEnv reports whether the environment: entry for name, as written
// in the compose file, took its value from a variable of the project's .env
// (either ${VAR} in the value, or a bare NAME resolved from the project
// environment).
func (r *Result) fromDotEnv(service, name string) bool {
	if len(r.dotenv) == 0 {
		return false
	}
	text, bare, ok := envText(r.sources, service, name)
	if !ok {
		return false
	}
	if bare {
		_, found := r.dotenv[name]
		return found
	}
	for _, m := range varRef.FindAllStringSubmatch(text, -1) {
		ref := m[1] + m[2]
		if _, found := r.dotenv[ref]; ref != "" && found {
			return true
		}
	}
	return false
}

// envText finds the text of services.<service>.environment.<name> as
// written (before interpolation) in the last file that sets it. bare is
// set for a list entry without "=" (value taken from the environment).
func envText(files yamlpos.Files, service, name string) (text string, bare, ok bool) {
	for i := len(files) - 1; i >= 0; i-- {
		path := []string{"services", service, "environment"}
		if files[i].Legacy {
			path = path[1:]
		}
		node := files[i].Root
		for _, seg := range path {
			if node == nil {
				break
			}
			_, node = yamlpos.Child(node, seg)
		}
		if node == nil {
			continue
		}
		if text, bare, ok := envEntry(yamlpos.ResolveAlias(node), name); ok {
			return text, bare, true
		}
	}
	return "", false, false
}

func envEntry(node *yaml.Node, name string) (string, bool, bool) {
	switch node.Kind {
	case yaml.MappingNode:
		if _, v := yamlpos.Child(node, name); v != nil {
			return v.Value, v.Tag == "!!null", true
		}
	case yaml.SequenceNode:
		for _, item := range node.Content {
			k, v, hasValue := strings.Cut(item.Value, "=")
			if k == name {
				return v, !hasValue, true
			}
		}
	}
	return "", false, false
}

// EffectiveEnv is a running service's whole environment with where each
// value came from: the service's own variables (env, from environment,
// env_file and .env) and, from the container, the ones only its image sets.
func EffectiveEnv(env []EnvVar, containerEnv []string) []EnvVar {
	out := append([]EnvVar(nil), env...)
	declared := make(map[string]bool, len(env))
	for _, e := range env {
		declared[e.Name] = true
	}
	var fromImage []EnvVar
	for _, kv := range containerEnv {
		name, value, _ := strings.Cut(kv, "=")
		if name == "" || declared[name] {
			continue
		}
		declared[name] = true
		fromImage = append(fromImage, EnvVar{Name: name, Value: value, Source: EnvFromImage, Secret: looksSecret(name)})
	}
	sort.Slice(fromImage, func(i, j int) bool { return fromImage[i].Name < fromImage[j].Name })
	return append(out, fromImage...)
}

// looksSecret guesses from a variable's name whether its value is a
// credential that a screen should mask.
func looksSecret(name string) bool {
	n := strings.ToUpper(name)
	for _, w := range []string{"PASSWORD", "PASSWD", "SECRET", "TOKEN", "_KEY", "APIKEY", "CREDENTIAL", "PRIVATE"} {
		if strings.Contains(n, w) {
			return true
		}
	}
	return strings.HasSuffix(n, "_PASS") || n == "KEY"
}
