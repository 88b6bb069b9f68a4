package dockerfile

import (
	"strconv"
	"strings"
)

// Deps gives, for each stage index, the earlier stages it uses directly:
// the stage it starts FROM, copies from (COPY --from, ADD --from) or mounts
// from (RUN --mount=…,from=).
type Deps map[int][]int

// Deps reads which earlier stages each of stages (f.Stages) uses.
func (f *File) Deps(stages []Stage) Deps {
	deps := Deps{}
	current := -1
	for _, step := range f.Instructions {
		var refs []string
		switch step.Cmd {
		case "FROM":
			current++
			if current < len(stages) {
				refs = append(refs, stages[current].Base)
			}
		case "COPY", "ADD":
			if v, ok := step.flag("from"); ok {
				refs = append(refs, v)
			}
		case "RUN":
			refs = append(refs, mountSources(step)...)
		}
		for _, ref := range refs {
			if i, ok := stageRef(stages, ref, current); ok {
				deps[current] = append(deps[current], i)
			}
		}
	}
	return deps
}

// Reach is the set of stages a BuildKit build of stage start runs: start
// and every stage it uses, followed through. (The classic builder builds
// every stage before the target instead.)
func (d Deps) Reach(start int) map[int]bool {
	seen := map[int]bool{}
	var visit func(int)
	visit = func(i int) {
		if seen[i] {
			return
		}
		seen[i] = true
		for _, j := range d[i] {
			visit(j)
		}
	}
	visit(start)
	return seen
}

// mountSources are the from= values of a RUN's --mount flags.
func mountSources(step Instruction) []string {
	var out []string
	for _, f := range step.Flags {
		if f.Name != "mount" {
			continue
		}
		for _, field := range strings.Split(f.Value, ",") {
			if v, ok := strings.CutPrefix(field, "from="); ok {
				out = append(out, v)
			}
		}
	}
	return out
}

// stageRef resolves a reference made in stage `in` to an earlier stage: by
// name (case-insensitive) or by index. Anything else is an image.
func stageRef(stages []Stage, ref string, in int) (int, bool) {
	ref = strings.ToLower(strings.Trim(ref, `"'`))
	for _, s := range stages[:min(in, len(stages))] {
		if s.Name != "" && s.Name == ref {
			return s.Index, true
		}
	}
	if n, err := strconv.Atoi(ref); err == nil && n >= 0 && n < in {
		return n, true
	}
	return 0, false
}
