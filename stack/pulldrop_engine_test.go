package stack

import (
	"errors"
	"strings"
	"testing"
	"time"
)

// TestPullConnectionDroppedMidLayer cuts every transfer of the biggest
// layer halfway: the engine retries, then gives up; up must fail clearly
// without creating anything, and succeed once the registry behaves.
func TestPullConnectionDroppedMidLayer(t *testing.T) {
	e := testEngine(t)
	reg := startRegistry(t)
	removeImagesAtCleanup(t, e, reg.Host)
	ref, _ := reg.pushRandom(t, e, "flaky/app:v1", time.Now(), 4<<20, 256<<10)
	layers := reg.layerDigests(t, ref)
	reg.setCut(layers[1]) // the 4 MiB layer (0 is busybox)
	s := newTestStack(t, "pulldrop")
	p := policyStack(s, ref, "")
	log, err := upLog(t, e, p, UpOptions{})
	if err == nil {
		t.Fatal("up succeeded through a registry that cuts a layer")
	}
	t.Logf("error after %d cut transfers: %v", reg.cuts.Load(), err)
	if !errors.Is(err, ErrTransferInterrupted) && !errors.Is(err, ErrRegistryUnreachable) {
		t.Errorf("got %v, want a dropped-connection error", err)
	}
	if !strings.Contains(err.Error(), ref) || !strings.Contains(err.Error(), reg.Host) {
		t.Errorf("error %q does not name the image and the registry", err)
	}
	if reg.cuts.Load() == 0 {
		t.Error("the registry cut no transfer")
	}
	if len(pullSteps(log, ProgressError, ref)) != 1 {
		t.Errorf("no error step for %s", ref)
	}
	assertNothingCreated(t, s)

	reg.setCut("")
	log, err = upLog(t, e, p, UpOptions{})
	if err != nil || !pulledImage(log, ref) {
		t.Fatalf("second up: got err %v pulled %v, want a pull and a running app", err, pulledImage(log, ref))
	}
	if c := s.container("app"); c.State != StateRunning {
		t.Errorf("app is %s, want running", c.State)
	}
}
