package composeload

import (
	"fmt"
	"slices"
	"strings"
)

// CheckServiceNames returns nil when known holds every one of names.
// Otherwise it returns an error wrapping ErrUnknownService that names the
// unknown ones and lists the services the project has, so a typo is an
// error, not silence. The loader checks the services a load selects with
// it; stack's verbs check theirs (Project.CheckServices), and so does a
// project known without its compose file (-p NAME), whose known services
// are those its containers belong to.
func CheckServiceNames(project string, known, names []string) error {
	var unknown []string
	for _, n := range names {
		if !slices.Contains(known, n) && !slices.Contains(unknown, n) {
			unknown = append(unknown, n)
		}
	}
	if len(unknown) == 0 {
		return nil
	}
	for i, n := range unknown {
		unknown[i] = fmt.Sprintf("%q", n)
	}
	return fmt.Errorf("%w %s in project %s: %s", ErrUnknownService, strings.Join(unknown, ", "), project, knownServices(known))
}

// knownServices says which services there are to choose from.
func knownServices(known []string) string {
	if len(known) == 0 {
		return "it has no services (no compose file here, and no containers of it on the engine)"
	}
	known = slices.Clone(known)
	slices.Sort(known)
	known = slices.Compact(known)
	return "its services are " + strings.Join(known, ", ")
}
