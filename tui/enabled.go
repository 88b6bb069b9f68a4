package tui

import "github.com/devstack/devstack/stack"

// Reasons an action is not available now; "" means it is.

func needRow(m *model) string {
	if _, ok := m.selectedRow(); !ok {
		return "no service selected"
	}
	return ""
}

func needEngine(m *model) string {
	if m.engineDown {
		return "the engine is not reachable"
	}
	return ""
}

func needContainer(m *model) string {
	if s := needRow(m) + needEngine(m); s != "" {
		return s
	}
	if r, _ := m.selectedRow(); r.c.ID == "" {
		return r.service + " has no container (" + string(r.state) + ")"
	}
	if r, _ := m.selectedRow(); m.busy[r.subject()] != "" {
		return r.subject() + " is busy: " + m.busy[r.subject()]
	}
	return ""
}

// needServiceContainer is needContainer on a service's row: restart acts
// on the service, and a one-off container runs once.
func needServiceContainer(m *model) string {
	if s := notOneOff(m); s != "" {
		return s
	}
	return needContainer(m)
}

func needStoppedService(m *model) string {
	if s := notOneOff(m); s != "" {
		return s
	}
	return needStopped(m)
}

// notOneOff refuses the service verbs on a one-off container's row.
func notOneOff(m *model) string {
	if r, ok := m.selectedRow(); ok && r.oneOff {
		return r.c.Name + " is a one-off container (devstack run " + r.service + "): run it again instead"
	}
	return ""
}

// needOneOff allows remove on one-off rows only: a service's containers
// go with down.
func needOneOff(m *model) string {
	if s := needRow(m) + needEngine(m); s != "" {
		return s
	}
	if r, _ := m.selectedRow(); !r.oneOff {
		return r.service + " is a service, not a one-off container (D downs the stack)"
	}
	if r, _ := m.selectedRow(); m.busy[r.subject()] != "" {
		return r.c.Name + " is busy: " + m.busy[r.subject()]
	}
	return ""
}

func needRunning(m *model) string {
	if s := needContainer(m); s != "" {
		return s
	}
	if r, _ := m.selectedRow(); !r.c.Running() {
		return r.service + " is not running"
	}
	return ""
}

func needStopped(m *model) string {
	if s := needContainer(m); s != "" {
		return s
	}
	if r, _ := m.selectedRow(); r.c.Running() {
		return r.service + " is already running"
	}
	return ""
}

func needProject(m *model) string {
	if s := needRow(m) + needEngine(m); s != "" {
		return s
	}
	if m.project == nil {
		return "no compose file loaded"
	}
	if s := notOneOff(m); s != "" {
		return s
	}
	if r, _ := m.selectedRow(); r.svc == nil || r.state == stack.StateProfile {
		return r.service + " is not an active service of the compose file"
	}
	if r, _ := m.selectedRow(); m.busy[r.service] != "" {
		return r.service + " is busy: " + m.busy[r.service]
	}
	return ""
}

func needBuild(m *model) string {
	if s := needProject(m); s != "" {
		return s
	}
	if r, _ := m.selectedRow(); r.svc.Build == nil {
		return r.service + " has no build section (image " + r.svc.Image + ")"
	}
	return ""
}

func needPort(m *model) string {
	if s := needRow(m); s != "" {
		return s
	}
	if r, _ := m.selectedRow(); portURL(r) == "" {
		return r.service + " publishes no TCP port"
	}
	return ""
}

func needSearch(m *model) string {
	if m.logs.search == nil {
		return "no search yet (press / first)"
	}
	return ""
}
