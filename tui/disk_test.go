package tui

import (
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/devstack/devstack/stack"
)

// cleanerFake adds the optional DiskCleaner capability to the fake.
type cleanerFake struct {
	*fakeBackend
	mu      sync.Mutex
	measure int
	applied []stack.CleanPlan
	plan    stack.CleanPlan
}

func (c *cleanerFake) StackDisk(ctx context.Context, project string, p *stack.Project) (stack.StackDisk, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.measure++
	return stack.StackDisk{Used: 3 << 20, Reclaimable: 1 << 20}, nil
}

func (c *cleanerFake) PlanClean(ctx context.Context, project string, p *stack.Project) (stack.CleanPlan, error) {
	c.record("plan-clean %s", project)
	return c.plan, nil
}

func (c *cleanerFake) ApplyClean(ctx context.Context, plan stack.CleanPlan) (stack.CleanResult, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.applied = append(c.applied, plan)
	return stack.CleanResult{Removed: plan.Items[:2], Reclaimed: 1 << 20}, nil
}

func (c *cleanerFake) counts() (measured, applied int) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.measure, len(c.applied)
}

func TestDiskHeaderAndClean(t *testing.T) {
	f, opts := shopModel(t, Options{})
	c := &cleanerFake{fakeBackend: f, plan: stack.CleanPlan{Projects: []string{"shop"}, Items: []stack.Leftover{
		{Kind: stack.LeftoverDanglingImage, Project: "shop", Name: "aaa", Size: 512 << 10},
		{Kind: stack.LeftoverDanglingImage, Project: "shop", Name: "bbb", Size: 512 << 10},
		{Kind: stack.LeftoverNamedVolume, Project: "shop", Name: "shop_db", Size: 9 << 20},
	}}}
	hs := newHarness(t, newModel(context.Background(), c, opts), 120, 40)
	hs.send(diskTickMsg{})
	hs.contains("disk 3.0MiB · clean frees 1.0MiB")
	for range 20 {
		hs.screen()
	}
	if n, _ := c.counts(); n != 1 {
		t.Errorf("the disk was measured %d times for one tick and 20 frames, want once", n)
	}

	hs.keys("C")
	hs.contains(`Clean up after "shop"?`)
	hs.contains("2 × dangling image  1.0MiB")
	if strings.Contains(hs.screen(), "named volume") && !strings.Contains(hs.screen(), "Named volumes are kept") {
		t.Errorf("the dialog offers the named volume:\n%s", hs.screen())
	}
	hs.keys("n")
	hs.contains("clean cancelled")
	if _, n := c.counts(); n != 0 {
		t.Fatalf("clean ran after n")
	}

	hs.keys(":")
	hs.typeText("clean")
	hs.keys("enter", "y")
	hs.contains("clean: removed 2 items, reclaimed 1.0MiB")
	measured, applied := c.counts()
	// (the first timer tick, a second after start, may add one more)
	if applied != 1 || measured < 2 {
		t.Errorf("after y: %d cleans and %d measurements, want one clean and the figure measured again", applied, measured)
	}
}

func TestCleanNeedsTheCapability(t *testing.T) {
	f, opts := shopModel(t, Options{})
	hs := newHarness(t, newModel(context.Background(), f, opts), 120, 40)
	hs.keys("C")
	hs.contains("clean: not available")
	if strings.Contains(hs.screen(), "disk ") {
		t.Errorf("a backend that cannot measure shows a disk figure:\n%s", hs.screen())
	}
}

func TestNextDiskMeasureBacksOff(t *testing.T) {
	for _, tc := range []struct{ took, want time.Duration }{
		{50 * time.Millisecond, time.Minute},
		{time.Second, time.Minute},
		{5 * time.Second, 5 * time.Minute},
	} {
		if got := nextDiskMeasure(tc.took); got != tc.want {
			t.Errorf("after a %s measurement: got %s, want %s", tc.took, got, tc.want)
		}
	}
}
