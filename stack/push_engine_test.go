package stack

import (
	"context"
	"fmt"
	"strings"
	"testing"
)

// TestPushThenPullByDigest builds a service's image, pushes it to the
// loopback registry with credentials, removes it, and brings a stack up on
// it by digest.
func TestPushThenPullByDigest(t *testing.T) {
	e := testEngine(t)
	requireFixture(t, e, "local/busybox")
	reg := startRegistry(t)
	removeImagesAtCleanup(t, e, reg.Host)
	reg.setAuth("basic")
	dockerConfig(t, authsConfig(reg.Host))
	ctx := context.Background()

	s := newTestStack(t, "push")
	s.write("app/Dockerfile", "FROM local/busybox\nRUN echo "+s.Name+" > /built\nCMD [\"sleep\", \"600\"]\n")
	ref := reg.Host + "/pushed/app:v1"
	p := s.load(fmt.Sprintf("services:\n  app:\n    image: %s\n    build: ./app\n  other:\n    image: local/busybox\n", ref))
	if err := e.Build(ctx, p, BuildOptions{Services: []string{"app"}}); err != nil {
		t.Fatalf("build: %v", err)
	}
	var log stepLog
	if err := e.Push(ctx, p, PushOptions{Progress: log.fn()}); err != nil {
		t.Fatalf("push: %v", err)
	}
	assertNoSecret(t, nil, &log)
	pushed := pullSteps(&log, ProgressPushed, ref)
	if len(pushed) != 1 || !strings.HasPrefix(pushed[0].Pull.Digest, "sha256:") {
		t.Fatalf("got pushed steps %+v, want one with the digest", pushed)
	}
	if log.count(ProgressSkipped, "other") != 1 {
		t.Error("the service without build: was not skipped")
	}
	digest := pushed[0].Pull.Digest
	removeImage(t, e, ref)

	byDigest := reg.Host + "/pushed/app@" + digest
	d := newTestStack(t, "pushpull")
	dp := d.load(fmt.Sprintf("services:\n  app:\n    image: %s\n    stop_grace_period: 1s\n", byDigest))
	log = stepLog{}
	if err := e.Up(ctx, dp, UpOptions{Progress: log.fn()}); err != nil {
		t.Fatalf("up by digest: %v", err)
	}
	if !pulledImage(&log, byDigest) {
		t.Errorf("%s was not pulled", byDigest)
	}
	out, _ := d.exec("app", "cat", "/built")
	if strings.TrimSpace(out) != s.Name {
		t.Errorf("the pulled image holds %q, want the built %q", out, s.Name)
	}
}
