package tui

import (
	"strings"
	"testing"
	"time"

	"github.com/devstack/devstack/stack"
)

func TestConfirmDialogSteps(t *testing.T) {
	cases := []struct {
		volumes []string
		keys    string
		want    confirmResult
	}{
		{nil, "y", confirmDownKeep},
		{nil, "n", confirmCancel},
		{nil, "v", confirmCancel}, // nothing to delete: v is not an option
		{[]string{"p_db"}, "y", confirmDownKeep},
		{[]string{"p_db"}, "vy", confirmDownVolumes},
		{[]string{"p_db"}, "vn", confirmCancel},
		{[]string{"p_db"}, "vv", confirmCancel},
		{[]string{"p_db"}, "x", confirmCancel},
	}
	for _, c := range cases {
		var d confirmDialog
		d.open("p", c.volumes)
		var got confirmResult
		for _, k := range c.keys {
			b, _ := testKeys.lookup(scopeConfirm, string(k))
			got = d.key(b.action)
		}
		if got != c.want || d.step != confirmClosed {
			t.Errorf("volumes %v keys %q: result %d open=%v, want %d closed", c.volumes, c.keys, got, d.step != confirmClosed, c.want)
		}
	}
	var d confirmDialog
	d.open("p", []string{"p_db", "p_cache"})
	d.key(actVolumes)
	text := strings.Join(d.lines(newStyles(true, true), "y", "v"), "\n")
	if !strings.Contains(text, "p_db") || !strings.Contains(text, "p_cache") {
		t.Errorf("the second confirmation does not name the volumes:\n%s", text)
	}
}

func TestBuildPaneProgress(t *testing.T) {
	var b buildPane
	b.setSize(80, 4)
	b.start("web", "", t0)
	// stack parses the step of each builder line (classic or BuildKit).
	b.add([]stack.Progress{
		{Kind: stack.ProgressOutput, Text: "Step 1/3 : FROM x", Step: 1, Total: 3},
		{Kind: stack.ProgressOutput, Text: "#5 [2/3] RUN y", Step: 2, Total: 3},
		{Kind: stack.ProgressOutput, Text: "\x1b[2Kdownloading\r50%\r100%"},
	})
	if b.step != 2 || b.steps != 3 {
		t.Errorf("step %d/%d, want 2/3", b.step, b.steps)
	}
	if got := b.title(t0.Add(3 * time.Second)); !strings.Contains(got, "target last stage · step 2/3") || !strings.Contains(got, "3s") {
		t.Errorf("title %q", got)
	}
	view := b.view(newStyles(true, true))
	if !strings.Contains(view, "100%") || strings.Contains(view, "\x1b[2K") {
		t.Errorf("view %q", view)
	}
	b.finish(rebuildDoneMsg{service: "web", took: 2 * time.Second, size: 5 << 20})
	if !strings.Contains(b.view(newStyles(true, true)), "rebuilt web (last stage) and recreated it in 2.0s · image 5.0MiB") {
		t.Errorf("result %q", b.result)
	}
}
