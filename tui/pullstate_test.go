package tui

import (
	"context"
	"strings"
	"testing"

	"github.com/devstack/devstack/stack"
)

// pullingFake adds the optional PullWatcher capability to the fake.
type pullingFake struct {
	*fakeBackend
	pulls chan []stack.Progress
}

func (p pullingFake) Pulls(ctx context.Context) <-chan []stack.Progress { return p.pulls }

func pullStep(kind stack.ProgressKind, text string, cur, total int64, services ...string) stack.Progress {
	return stack.Progress{Kind: kind, Subject: "mariadb:11.4", Service: services[0], Text: text,
		Pull: &stack.PullStatus{Image: "mariadb:11.4", Services: services, Current: cur, Total: total, Layer: -1,
			Layers: []stack.LayerStatus{{ID: "a"}, {ID: "b"}}}}
}

// rowLine is the screen line of a service's row.
func rowLine(screen, service string) string {
	for _, l := range strings.Split(screen, "\n") {
		if strings.Contains(l, " "+service+" ") {
			return l
		}
	}
	return ""
}

func TestRowsShowPullsOfAnUpBehindTheScreen(t *testing.T) {
	f, opts := shopModel(t, Options{})
	p := pullingFake{f, make(chan []stack.Progress, 4)}
	hs := newHarness(t, newModel(context.Background(), p, opts), 120, 40)
	p.pulls <- []stack.Progress{
		pullStep(stack.ProgressPulling, "Downloading", 12_100_000, 28_000_000, "db"),
		pullStep(stack.ProgressPulling, "Pulling", 0, 0, "cache"),
	}
	hs.settle()
	if row := rowLine(hs.screen(), "db"); !strings.Contains(row, "pulling 43% 12.1/28.0 MB") {
		t.Errorf("db row during the pull: got %q, want the pull's percent and bytes", row)
	}
	if row := rowLine(hs.screen(), "cache"); !strings.Contains(row, "pulling 0/2 layers") {
		t.Errorf("cache row before sizes are known: got %q, want its layers", row)
	}
	p.pulls <- []stack.Progress{
		pullStep(stack.ProgressPulled, "Pulled", 28_000_000, 28_000_000, "db"),
		pullStep(stack.ProgressError, "pull mariadb:11.9 from docker.io: not found", 0, 0, "cache"),
	}
	hs.settle()
	if row := rowLine(hs.screen(), "db"); strings.Contains(row, "pulling") || !strings.Contains(row, "healthy") {
		t.Errorf("db row after its pull: got %q, want its container's state back", row)
	}
	if row := rowLine(hs.screen(), "cache"); !strings.Contains(row, "pull failed: pull mariadb:11.9") {
		t.Errorf("cache row after a failed pull: got %q, want the reason", row)
	}
	hs.contains("pull mariadb:11.9 from docker.io: not found")
}

func TestPullText(t *testing.T) {
	cases := []struct {
		p    stack.Progress
		want string
		keep bool
	}{
		{pullStep(stack.ProgressPulling, "", 12_100_000, 28_000_000, "db"), "pulling 43% 12.1/28.0 MB", true},
		{pullStep(stack.ProgressPulling, "", 300, 900, "db"), "pulling 33% 0.3/0.9 kB", true},
		{pullStep(stack.ProgressPulling, "", 0, 0, "db"), "pulling 0/2 layers", true},
		{pullStep(stack.ProgressWarning, "can be built", 0, 0, "db"), "pull failed: can be built", true},
		{pullStep(stack.ProgressPulled, "", 1, 1, "db"), "", false},
	}
	for _, c := range cases {
		st, keep := pullText(c.p)
		if st.text != c.want || keep != c.keep {
			t.Errorf("%s: got %q %v, want %q %v", c.p.Kind, st.text, keep, c.want, c.keep)
		}
	}
}
