package stack

import (
	"testing"
	"time"

	"github.com/moby/moby/api/types/jsonstream"
)

func TestTransferSumsLayers(t *testing.T) {
	var steps []Progress
	tr := newTransfer(ProgressPulling, "x:1", []string{"app"}, func(p Progress) { steps = append(steps, p) })
	msg := func(id, status string, cur, total int64) jsonstream.Message {
		m := jsonstream.Message{ID: id, Status: status}
		if total > 0 || cur > 0 {
			m.Progress = &jsonstream.Progress{Current: cur, Total: total}
		}
		return m
	}
	for _, m := range []jsonstream.Message{
		{ID: "1", Status: "Pulling from library/x"}, // image-level, carries the tag
		msg("aaa", "Pulling fs layer", 0, 0),
		msg("bbb", "Pulling fs layer", 0, 0),
		msg("ccc", "Already exists", 0, 0),
		msg("aaa", "Downloading", 400, 1000),
		msg("bbb", "Downloading", 100, 3000),
	} {
		tr.apply(m)
	}
	last := steps[len(steps)-1].Pull
	if len(last.Layers) != 3 || last.Current != 500 || last.Total != 4000 || last.Percent() != 12 {
		t.Fatalf("got %d layers %d/%d (%d%%), want 3 layers 500/4000 (12%%)", len(last.Layers), last.Current, last.Total, last.Percent())
	}
	if last.Layer != 1 || last.Layers[1].Status != "Downloading" || steps[len(steps)-1].Service != "app" {
		t.Errorf("the step is about layer %d %+v, want bbb downloading for app", last.Layer, last.Layers[last.Layer])
	}
	for _, m := range []jsonstream.Message{
		msg("aaa", "Download complete", 0, 0),
		msg("aaa", "Extracting", 200, 1000),
		msg("bbb", "Verifying Checksum", 0, 0),
		msg("bbb", "Download complete", 0, 0),
		msg("aaa", "Pull complete", 0, 0),
		msg("bbb", "Pull complete", 0, 0),
		{Status: "Digest: sha256:abc"},
	} {
		tr.apply(m)
	}
	tr.report(-1, ProgressPulled, "Pulled")
	last = steps[len(steps)-1].Pull
	if last.Current != 4000 || last.Total != 4000 || last.LayersDone() != 3 || last.Digest != "sha256:abc" {
		t.Errorf("got %d/%d, %d done, digest %q; want 4000/4000, 3 done, sha256:abc", last.Current, last.Total, last.LayersDone(), last.Digest)
	}
	// Steps keep their own copy of the layers.
	if steps[3].Pull.Layers[0].Status != "Downloading" {
		t.Errorf("an earlier step changed afterwards: %+v", steps[3].Pull.Layers[0])
	}
}

func TestPullPolicyDecisions(t *testing.T) {
	latest, _ := parseImageRef("x")
	pinned, _ := parseImageRef("x:1")
	cases := []struct {
		policy   string
		ref      ImageRef
		present  bool
		up, pull bool
		wantErr  bool
	}{
		{"", pinned, false, true, true, false},
		{"", pinned, true, false, true, false}, // an explicit pull refreshes
		{"missing", pinned, true, false, false, false},
		{"missing", latest, true, false, true, false}, // latest moves
		{"if_not_present", pinned, false, true, true, false},
		{"always", pinned, true, true, true, false},
		{"never", pinned, false, false, false, false},
		{"build", pinned, false, false, false, false},
		{"daily", pinned, true, false, true, false}, // fresh; pull still refreshes
		{"every_1x", pinned, true, false, false, true},
	}
	for _, c := range cases {
		up, err := mustPull(c.policy, localImage{Tagged: timeNowForTest()}, c.present, timeNowForTest())
		pull, _, perr := shouldPull(c.policy, c.ref, localImage{Tagged: timeNowForTest()}, c.present, timeNowForTest())
		if (err != nil) != c.wantErr || (perr != nil) != c.wantErr || up != c.up || pull != c.pull {
			t.Errorf("%q %s present=%v: got up %v pull %v (%v, %v), want up %v pull %v", c.policy, c.ref.Original, c.present, up, pull, err, perr, c.up, c.pull)
		}
	}
}

func timeNowForTest() time.Time { return time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC) }
