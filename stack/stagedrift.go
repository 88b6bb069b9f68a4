package stack

import "fmt"

// ConfiguredStage is the Dockerfile stage the compose file builds a service
// at: its target, or the Dockerfile's last stage (its name, or #index when
// unnamed). It is "" for a service without a build or whose Dockerfile
// cannot be read (a git context). Compare it with Container.Stage, the
// stage the running image was really built from.
func ConfiguredStage(p *Project, service string) string {
	sc, err := buildableService(p, service)
	if err != nil {
		return ""
	}
	if sc.Build.Target != "" {
		return sc.Build.Target
	}
	stages, err := Stages(p, service)
	if err != nil || len(stages) == 0 {
		return ""
	}
	return stageLabelValue(stages[len(stages)-1])
}

// stageDrift is the warning up gives when a service's existing image was
// built from another stage than the compose file says (after a `build
// --target`), or "" when they agree or either is unknown.
func stageDrift(p *Project, service, image, built string) string {
	if built == "" {
		return ""
	}
	want := ConfiguredStage(p, service)
	if want == "" || want == built {
		return ""
	}
	return fmt.Sprintf("image %s was built from stage %s but the compose file builds %s: the container runs %s (run `devstack build %s` or `up --build` to follow the file)",
		image, built, want, built, service)
}
