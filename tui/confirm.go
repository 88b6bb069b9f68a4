package tui

import (
	"fmt"
	"strings"
)

// confirmStep is where the down confirmation is.
type confirmStep int

const (
	confirmClosed confirmStep = iota
	// confirmDown asks to down the stack (volumes kept).
	confirmDown
	// confirmVolumes asks, naming them, to delete the named volumes too.
	confirmVolumes
	// confirmClean asks to remove what clean found (named volumes kept).
	confirmClean
)

// confirmDialog asks before the destructive down; deleting volumes needs a
// second, explicit confirmation that names them.
type confirmDialog struct {
	step    confirmStep
	project string
	volumes []string
	// found is what clean would remove, one line per kind.
	found []string
}

// confirmResult is what a key press in the dialog decided.
type confirmResult int

const (
	confirmPending confirmResult = iota
	confirmCancel
	confirmDownKeep
	confirmDownVolumes
	confirmCleanYes
)

func (d *confirmDialog) open(project string, volumes []string) {
	d.step, d.project, d.volumes = confirmDown, project, volumes
}

func (d *confirmDialog) openClean(project string, found []string) {
	d.step, d.project, d.found = confirmClean, project, found
}

// key handles the action of a key press (from the key table's confirm
// scope; "" for any other key); the dialog closes on any decision.
func (d *confirmDialog) key(a action) confirmResult {
	switch d.step {
	case confirmDown:
		switch a {
		case actConfirm:
			d.step = confirmClosed
			return confirmDownKeep
		case actVolumes:
			if len(d.volumes) > 0 {
				d.step = confirmVolumes
				return confirmPending
			}
		}
	case confirmVolumes:
		if a == actConfirm {
			d.step = confirmClosed
			return confirmDownVolumes
		}
	case confirmClean:
		if a == actConfirm {
			d.step = confirmClosed
			return confirmCleanYes
		}
	default:
		return confirmPending
	}
	d.step = confirmClosed
	return confirmCancel
}

// lines is the dialog's text; yes and volumes are the keys of confirm and
// delete-volumes.
func (d *confirmDialog) lines(st styles, yes, volumes string) []string {
	switch d.step {
	case confirmDown:
		l := []string{
			st.title.Render(fmt.Sprintf("Down the stack %q?", d.project)),
			"Its containers and networks are removed.",
			"Named volumes are kept.",
			"",
			st.key.Render(yes) + " down   " + st.key.Render("any other key") + " cancel",
		}
		if len(d.volumes) > 0 {
			l[4] += "   " + st.key.Render(volumes) + " down and delete volumes…"
		}
		return l
	case confirmVolumes:
		return []string{
			st.err.Render("Delete these volumes for good?"),
			"  " + strings.Join(d.volumes, "\n  "),
			"Their data cannot be recovered.",
			"",
			st.key.Render(yes) + " down and delete them   " + st.key.Render("any other key") + " cancel",
		}
	case confirmClean:
		l := append([]string{st.title.Render(fmt.Sprintf("Clean up after %q?", d.project))}, d.found...)
		return append(l, "Named volumes are kept (devstack clean --volumes removes them).", "",
			st.key.Render("y")+" remove   "+st.key.Render("any other key")+" cancel")
	}
	return nil
}
