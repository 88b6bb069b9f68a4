package stack

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"
)

// pulledImage reports whether the steps show a pull of image.
func pulledImage(l *stepLog, image string) bool {
	return len(pullSteps(l, ProgressPulled, image)) > 0
}

// policyStack is a one-service stack on a registry image with a policy.
func policyStack(s *testStack, ref, policy string) *Project {
	extra := ""
	if policy != "" {
		extra = "    pull_policy: " + policy + "\n"
	}
	return s.load(fmt.Sprintf("services:\n  app:\n    image: %s\n    command: [\"sleep\", \"600\"]\n    stop_grace_period: 1s\n%s", ref, extra))
}

// upLog runs an up and returns its steps.
func upLog(t *testing.T, e *Engine, p *Project, opts UpOptions) (*stepLog, error) {
	t.Helper()
	var log stepLog
	opts.Progress = log.fn()
	return &log, e.Up(context.Background(), p, opts)
}

func TestUpPullPolicies(t *testing.T) {
	e := testEngine(t)
	reg := startRegistry(t)
	removeImagesAtCleanup(t, e, reg.Host)
	ref, _ := reg.pushRandom(t, e, "policy/app:v1", time.Now(), 64<<10)

	t.Run("missing pulls once", func(t *testing.T) {
		removeImage(t, e, ref)
		s := newTestStack(t, "polmissing")
		for i, want := range []bool{true, false} {
			log, err := upLog(t, e, policyStack(s, ref, ""), UpOptions{})
			if err != nil {
				t.Fatalf("up %d: %v", i, err)
			}
			if got := pulledImage(log, ref); got != want {
				t.Errorf("up %d: pulled %v, want %v", i, got, want)
			}
		}
		if c := s.container("app"); c.State != StateRunning {
			t.Errorf("app is %s, want running", c.State)
		}
	})
	t.Run("if_not_present keeps the local image", func(t *testing.T) {
		s := newTestStack(t, "polifnp")
		log, err := upLog(t, e, policyStack(s, ref, "if_not_present"), UpOptions{})
		if err != nil || pulledImage(log, ref) {
			t.Errorf("got err %v pulled %v, want no pull of a present image", err, pulledImage(log, ref))
		}
	})
	t.Run("always pulls a present image", func(t *testing.T) {
		s := newTestStack(t, "polalways")
		log, err := upLog(t, e, policyStack(s, ref, "always"), UpOptions{})
		if err != nil || !pulledImage(log, ref) {
			t.Errorf("got err %v pulled %v, want a pull", err, pulledImage(log, ref))
		}
	})
	t.Run("never fails clearly on an absent image and creates nothing", func(t *testing.T) {
		absent := reg.Host + "/policy/app:absent"
		s := newTestStack(t, "polnever")
		_, err := upLog(t, e, policyStack(s, absent, "never"), UpOptions{})
		if !errors.Is(err, ErrPullPolicyNever) {
			t.Fatalf("got %v, want ErrPullPolicyNever", err)
		}
		assertNothingCreated(t, s)
		log, err := upLog(t, e, policyStack(s, ref, "never"), UpOptions{})
		if err != nil || pulledImage(log, ref) {
			t.Errorf("present image under never: got err %v pulled %v, want up without a pull", err, pulledImage(log, ref))
		}
	})
	t.Run("--pull overrides the file", func(t *testing.T) {
		s := newTestStack(t, "poloverride")
		log, err := upLog(t, e, policyStack(s, ref, "never"), UpOptions{Pull: "always"})
		if err != nil || !pulledImage(log, ref) {
			t.Errorf("--pull always over never: got err %v pulled %v, want a pull", err, pulledImage(log, ref))
		}
		log, err = upLog(t, e, policyStack(s, ref, "always"), UpOptions{Pull: "missing"})
		if err != nil || pulledImage(log, ref) {
			t.Errorf("--pull missing over always: got err %v pulled %v, want no pull", err, pulledImage(log, ref))
		}
		_, err = upLog(t, e, policyStack(s, reg.Host+"/policy/app:absent", ""), UpOptions{Pull: "never"})
		if !errors.Is(err, ErrPullPolicyNever) {
			t.Errorf("--pull never on an absent image: got %v, want ErrPullPolicyNever", err)
		}
		if _, err := upLog(t, e, policyStack(s, ref, ""), UpOptions{Pull: "sometimes"}); err == nil {
			t.Error("--pull sometimes: got no error")
		}
	})
}

// TestUpRefreshPolicies checks daily/weekly/every_<d> the way compose reads
// them: against when the engine last tagged the image, or, on engines that
// keep no tag time for pulls (Engine 20.10 here), when the image was built.
// One image was built in 2001, the other now.
func TestUpRefreshPolicies(t *testing.T) {
	e := testEngine(t)
	reg := startRegistry(t)
	removeImagesAtCleanup(t, e, reg.Host)
	oldRef, _ := reg.pushRandom(t, e, "refresh/old:v1", time.Date(2001, 1, 1, 0, 0, 0, 0, time.UTC), 64<<10)
	newRef, _ := reg.pushRandom(t, e, "refresh/new:v1", time.Now(), 64<<10)
	s := newTestStack(t, "polrefresh")
	for _, ref := range []string{oldRef, newRef} {
		log, err := upLog(t, e, policyStack(s, ref, "daily"), UpOptions{})
		if err != nil || !pulledImage(log, ref) {
			t.Fatalf("daily, %s absent: got err %v pulled %v, want a pull", ref, err, pulledImage(log, ref))
		}
	}
	tagged, _ := imageTagged(t, e, oldRef)
	for _, policy := range []string{"daily", "weekly", "every_1h"} {
		log, err := upLog(t, e, policyStack(s, newRef, policy), UpOptions{})
		if err != nil || pulledImage(log, newRef) {
			t.Errorf("%s, built now: got err %v pulled %v, want no pull", policy, err, pulledImage(log, newRef))
		}
		log, err = upLog(t, e, policyStack(s, oldRef, policy), UpOptions{})
		if want := tagged.IsZero(); err != nil || pulledImage(log, oldRef) != want {
			t.Errorf("%s, built 2001, tagged %v: got err %v pulled %v, want pulled %v", policy, tagged, err, pulledImage(log, oldRef), want)
		}
	}
	created, _ := e.inspectLocal(context.Background(), []string{newRef})
	time.Sleep(time.Until(created[newRef].Created.Add(2500 * time.Millisecond)))
	if !tagged.IsZero() {
		time.Sleep(2500 * time.Millisecond)
	}
	log, err := upLog(t, e, policyStack(s, newRef, "every_2s"), UpOptions{})
	if err != nil || !pulledImage(log, newRef) {
		t.Errorf("every_2s, 2.5 s later: got err %v pulled %v, want a pull", err, pulledImage(log, newRef))
	}
}

func TestUpBuildAndImage(t *testing.T) {
	e := testEngine(t)
	requireFixture(t, e, "local/busybox")
	reg := startRegistry(t)
	removeImagesAtCleanup(t, e, reg.Host)
	s := newTestStack(t, "polbuild")
	s.write("app/Dockerfile", "FROM local/busybox\nRUN echo built > /built\nCMD [\"sleep\", \"600\"]\n")
	ref := reg.Host + "/built/app:v1"
	compose := func(policy string) *Project {
		return s.load(fmt.Sprintf("services:\n  app:\n    image: %s\n    build: ./app\n    pull_policy: %s\n    stop_grace_period: 1s\n", ref, policy))
	}
	// missing: the registry has no such image, so the pull fails and the
	// image is built instead (a warning, not an error).
	log, err := upLog(t, e, compose("missing"), UpOptions{})
	if err != nil {
		t.Fatalf("up with a failing pull of a buildable image: %v", err)
	}
	if n := len(pullSteps(log, ProgressWarning, ref)); n != 1 || log.count(ProgressBuilt, "") == 0 {
		t.Errorf("got %d pull warnings and %d built steps, want 1 and a build", n, log.count(ProgressBuilt, ""))
	}
	// build: never pulled, built again.
	log, err = upLog(t, e, compose("build"), UpOptions{})
	if err != nil || len(pullSteps(log, ProgressPulling, ref)) != 0 || log.count(ProgressBuilt, "") == 0 {
		t.Errorf("pull_policy build: got err %v, %d pulling steps, %d built; want a build and no pull", err, len(pullSteps(log, ProgressPulling, ref)), log.count(ProgressBuilt, ""))
	}
}
