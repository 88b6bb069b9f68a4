package dockerfile

import "strings"

// Stage is one FROM of a Dockerfile. Unnamed stages have an empty Name;
// refer to them by Index.
type Stage struct {
	Index int
	// Name is lower-cased: stage names are case-insensitive and the
	// builders lower-case them.
	Name string
	// Base is the image or earlier stage the stage starts FROM, with
	// global ARGs substituted.
	Base string
	// Line is the 1-based line of the FROM.
	Line int
}

// Stages lists the FROM stages in order, with global ARGs substituted in
// the base images; buildArgs (a build's --build-arg values, nil for one
// without a value) win over the ARG defaults, as in a build. ARGs before
// the first FROM are the only variables a FROM line can use.
func (f *File) Stages(buildArgs map[string]*string) []Stage {
	vars := map[string]string{}
	var stages []Stage
	for _, step := range f.Instructions {
		switch step.Cmd {
		case "ARG":
			if len(stages) == 0 {
				declareArgs(step.Args, vars, buildArgs, f.Escape)
			}
		case "FROM":
			fields := strings.Fields(step.Args)
			if len(fields) == 0 {
				continue
			}
			st := Stage{Index: len(stages), Line: step.Line, Base: expand(fields[0], vars, f.Escape)}
			if len(fields) >= 3 && strings.EqualFold(fields[1], "as") {
				st.Name = strings.ToLower(fields[2])
			}
			stages = append(stages, st)
		}
	}
	return stages
}

// declareArgs records the variables of one ARG instruction (ARG A=1 B).
func declareArgs(args string, vars map[string]string, buildArgs map[string]*string, escape rune) {
	for _, decl := range strings.Fields(args) {
		name, def, hasDefault := strings.Cut(decl, "=")
		if v, ok := buildArgs[name]; ok && v != nil {
			vars[name] = *v
			continue
		}
		if hasDefault {
			vars[name] = expand(unquote(def), vars, escape)
		} else if _, ok := vars[name]; !ok {
			vars[name] = ""
		}
	}
}

func unquote(s string) string {
	if len(s) >= 2 && (s[0] == '"' || s[0] == '\'') && s[len(s)-1] == s[0] {
		return s[1 : len(s)-1]
	}
	return s
}
