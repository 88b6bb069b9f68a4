package stack

import "fmt"

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
	needed := sd.deps.Reach(end.Index)
	stages := sd.stages
	var out []string
	for _, s := range stages {
		if needed[s.Index] {
			out = append(out, stageLabelValue(s))
		}
	}
	return out, nil
}
