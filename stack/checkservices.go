package stack

import "github.com/devstack/devstack/stack/internal/composeload"

// CheckServices returns nil when the project declares every one of names
// (active or switched off by a profile). Otherwise it returns an error
// wrapping ErrUnknownService that names the unknown ones and lists the
// services the project has, so a typo is an error, not silence: every verb
// that takes service names calls it before anything else.
func (p *Project) CheckServices(names ...string) error {
	known := p.ServiceNames()
	for _, s := range p.Inactive {
		known = append(known, s.Name)
	}
	return CheckServiceNames(p.Name, known, names)
}

// CheckServiceNames is CheckServices for a project known without its
// compose file (-p NAME): known are the services its containers belong to.
func CheckServiceNames(project string, known, names []string) error {
	return composeload.CheckServiceNames(project, known, names)
}
