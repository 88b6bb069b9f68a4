package stack

import (
	"fmt"
	"strconv"
	"strings"
)

// StageNeeds lists the stages a build of target runs, in Dockerfile order
// and ending with target itself: the stages it starts FROM, copies from
// (COPY --from) or mounts from (RUN --mount=…,from=), followed through.
// BuildKit builds only these; the classic builder builds every stage
// before the target. An empty target means the last stage. Stages are
// named as in BuildStage, unnamed ones as #index.
func StageNeeds(p *Project, service, target string) ([]string, error) {
	sd, err := readStages(p, service)
	if err != nil {
		return nil, err
	}
	end, err := targetStage(sd.stages, target, sd.file)
	if err != nil {
		return nil, fmt.Errorf("stages %s: %w", service, err)
	}
	needed := stageClosure(sd.edges, end.Index)
	stages := sd.stages
	var out []string
	for _, s := range stages {
		if needed[s.Index] {
			out = append(out, stageLabelValue(s))
		}
	}
	return out, nil
}

// stageEdges gives, for each stage index, the earlier stages it uses
// directly.
func stageEdges(df *dockerfile, stages []BuildStage) map[int][]int {
	edges := map[int][]int{}
	current := -1
	for _, step := range df.Steps {
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
				edges[current] = append(edges[current], i)
			}
		}
	}
	return edges
}

// mountSources are the from= values of a RUN's --mount flags.
func mountSources(step dfInstruction) []string {
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
func stageRef(stages []BuildStage, ref string, in int) (int, bool) {
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

// stageClosure is the set of stages reachable from start.
func stageClosure(edges map[int][]int, start int) map[int]bool {
	seen := map[int]bool{}
	var visit func(int)
	visit = func(i int) {
		if seen[i] {
			return
		}
		seen[i] = true
		for _, j := range edges[i] {
			visit(j)
		}
	}
	visit(start)
	return seen
}
