package stack

import (
	"context"
	"errors"
	"fmt"
	"net"
	"strings"
	"testing"
	"time"
)

func TestPullFailureReasons(t *testing.T) {
	e := testEngine(t)
	reg := startRegistry(t)
	removeImagesAtCleanup(t, e, reg.Host)
	ref, _ := reg.pushRandom(t, e, "reasons/app:v1", time.Now(), 64<<10)

	t.Run("rate limited", func(t *testing.T) {
		reg.setAuth("ratelimit")
		defer reg.setAuth("")
		s := newTestStack(t, "ratelimit")
		_, err := upLog(t, e, policyStack(s, ref, ""), UpOptions{})
		if !errors.Is(err, ErrRateLimited) || !strings.Contains(err.Error(), "You have reached your pull rate limit") {
			t.Errorf("got %v, want ErrRateLimited with the registry's message", err)
		}
		assertNothingCreated(t, s)
	})
	t.Run("unreachable", func(t *testing.T) {
		l, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		closed := l.Addr().String()
		l.Close()
		s := newTestStack(t, "unreach")
		_, err = upLog(t, e, policyStack(s, closed+"/gone/app:v1", ""), UpOptions{})
		if !errors.Is(err, ErrRegistryUnreachable) || !strings.Contains(err.Error(), closed) {
			t.Errorf("got %v, want ErrRegistryUnreachable naming %s", err, closed)
		}
		assertNothingCreated(t, s)
	})
	t.Run("no matching platform", func(t *testing.T) {
		removeImage(t, e, ref)
		s := newTestStack(t, "platform")
		p := s.load(fmt.Sprintf("services:\n  app:\n    image: %s\n    platform: linux/arm64\n", ref))
		_, err := upLog(t, e, p, UpOptions{})
		if !errors.Is(err, ErrNoMatchingPlatform) || !strings.Contains(err.Error(), "linux/arm64") {
			t.Errorf("got %v, want ErrNoMatchingPlatform naming linux/arm64", err)
		}
		assertNothingCreated(t, s)
	})
	t.Run("ignore pull failures keeps the local image", func(t *testing.T) {
		if err := e.Pull(context.Background(), policyStack(newTestStack(t, "prepull"), ref, ""), PullOptions{}); err != nil {
			t.Fatal(err)
		}
		reg.setAuth("basic")
		defer reg.setAuth("")
		dockerConfig(t, `{}`)
		s := newTestStack(t, "ignorefail")
		if _, err := upLog(t, e, policyStack(s, ref, "always"), UpOptions{}); !errors.Is(err, ErrUnauthorized) {
			t.Fatalf("without --ignore-pull-failures: got %v, want ErrUnauthorized", err)
		}
		assertNothingCreated(t, s)
		log, err := upLog(t, e, policyStack(s, ref, "always"), UpOptions{IgnorePullFailures: true})
		if err != nil || len(pullSteps(log, ProgressError, ref)) != 1 {
			t.Fatalf("with --ignore-pull-failures: got %v and %d error steps, want the up on the local image and the failure reported", err, len(pullSteps(log, ProgressError, ref)))
		}
		if c := s.container("app"); c.State != StateRunning {
			t.Errorf("app is %s, want running", c.State)
		}
	})
}

// TestPullVerb checks `devstack pull`'s reading of policies (compose's):
// without a policy an image is refreshed even when present, missing skips
// a present pinned tag, never and build skip, and --include-deps and
// --ignore-buildable select the services.
func TestPullVerb(t *testing.T) {
	e := testEngine(t)
	reg := startRegistry(t)
	removeImagesAtCleanup(t, e, reg.Host)
	a, _ := reg.pushRandom(t, e, "verb/a:v1", time.Now(), 32<<10)
	b, _ := reg.pushRandom(t, e, "verb/b:v1", time.Now(), 32<<10)
	s := newTestStack(t, "pullverb")
	compose := func(policyA string) *Project {
		return s.load(fmt.Sprintf(`services:
  a:
    image: %s
    pull_policy: %s
    depends_on: [b]
  b:
    image: %s
  c:
    image: %s
    build: ./c
`, a, policyA, b, reg.Host+"/verb/c:v1"))
	}
	s.write("c/Dockerfile", "FROM local/busybox\n")
	pull := func(p *Project, opts PullOptions) (*stepLog, error) {
		var log stepLog
		opts.Progress = log.fn()
		return &log, e.Pull(context.Background(), p, opts)
	}
	log, err := pull(compose("missing"), PullOptions{Services: []string{"a"}})
	if err != nil || !pulledImage(log, a) || pulledImage(log, b) {
		t.Fatalf("pull a: got %v, pulled a %v b %v; want only a", err, pulledImage(log, a), pulledImage(log, b))
	}
	log, err = pull(compose("missing"), PullOptions{Services: []string{"a"}, IncludeDeps: true})
	if err != nil || pulledImage(log, a) || !pulledImage(log, b) || log.count(ProgressSkipped, "a") != 1 {
		t.Errorf("pull a --include-deps with a present: got %v, pulled a %v b %v; want a skipped (missing, present) and b pulled", err, pulledImage(log, a), pulledImage(log, b))
	}
	for _, policy := range []string{"never", "build"} {
		log, err = pull(compose(policy), PullOptions{Services: []string{"a"}})
		if err != nil || pulledImage(log, a) {
			t.Errorf("pull_policy %s: got %v pulled %v, want a skip", policy, err, pulledImage(log, a))
		}
	}
	log, err = pull(compose("never"), PullOptions{Services: []string{"a"}, Policy: "always"})
	if err != nil || !pulledImage(log, a) {
		t.Errorf("--policy always over never: got %v pulled %v, want a pull", err, pulledImage(log, a))
	}
	// c has build: and an image the registry lacks: a warning, not an error.
	log, err = pull(compose("missing"), PullOptions{Services: []string{"c"}})
	if err != nil || log.count(ProgressWarning, "") < 1 {
		t.Errorf("pull of a buildable missing image: got %v and %d warnings, want success with a warning", err, log.count(ProgressWarning, ""))
	}
	log, err = pull(compose("missing"), PullOptions{Services: []string{"c"}, IgnoreBuildable: true})
	if err != nil || len(pullSteps(log, ProgressPulling, reg.Host+"/verb/c:v1")) != 0 {
		t.Errorf("--ignore-buildable: got %v, want no attempt at c", err)
	}
}
