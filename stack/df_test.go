package stack

import (
	"context"
	"testing"
	"time"

	"github.com/moby/moby/client"
)

// TestDiskUsageByProject checks df's figures against the engine's own: the
// container's writable layer against inspect, the volume against the
// engine's measurement, and that the total and the header figure add up.
func TestDiskUsageByProject(t *testing.T) {
	s := newTestStack(t, "df")
	requireFixture(t, s.e, "local/busybox")
	ctx := context.Background()
	p := s.load("services:\n  w:\n    image: local/busybox\n    init: true\n" +
		"    command: [sh, -c, 'head -c 100000 /dev/urandom > /x && head -c 50000 /dev/urandom > /data/y && sleep 1d']\n" +
		"    volumes: [data:/data]\nvolumes:\n  data: {}\n")
	if err := s.e.Up(ctx, p, UpOptions{}); err != nil {
		t.Fatal(err)
	}
	// The engine shares one /system/df computation among concurrent
	// callers, so on a busy engine an answer can predate the writes: ask
	// until it shows them.
	var pd ProjectDisk
	for deadline := time.Now().Add(3 * time.Minute); ; time.Sleep(200 * time.Millisecond) {
		rep, err := s.e.DiskUsage(ctx, DiskOptions{Projects: []string{s.Name}})
		if err != nil {
			t.Fatal(err)
		}
		pd = rep.Projects[0]
		if len(pd.Containers) == 1 && pd.Containers[0].Size >= 100000 && len(pd.Volumes) == 1 && pd.Volumes[0].Size >= 50000 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("df of %s never showed the 100 kB layer and 50 kB volume the container wrote: %+v", s.Name, pd)
		}
	}
	c := pd.Containers[0]
	in, err := s.e.api.ContainerInspect(ctx, c.ID, client.ContainerInspectOptions{Size: true})
	if err != nil || in.Container.SizeRw == nil || *in.Container.SizeRw != c.Size {
		t.Errorf("container %s: df says %d bytes, inspect says %v (%v)", c.Name, c.Size, in.Container.SizeRw, err)
	}
	v := pd.Volumes[0]
	if v.Name != s.Name+"_data" || v.Links != 1 {
		t.Errorf("volume: got %+v, want %s_data used by one container", v, s.Name)
	}
	if len(pd.Images) != 1 || pd.Images[0].Tags[0] != "local/busybox:latest" || pd.Images[0].Containers < 1 {
		t.Errorf("images: got %+v, want local/busybox in use", pd.Images)
	}
	want := c.Size + v.Size
	if !pd.Images[0].Shared {
		want += pd.Images[0].UniqueSize
	}
	if pd.Total != want {
		t.Errorf("total: got %d, want %d (layer + volume + unshared images)", pd.Total, want)
	}
	sd, err := s.e.StackDisk(ctx, CleanTarget{Name: s.Name, Project: p})
	if err != nil {
		t.Fatal(err)
	}
	if sd.Used != pd.Total || sd.Reclaimable != 0 {
		t.Errorf("StackDisk: got %+v, want used %d and nothing to reclaim", sd, pd.Total)
	}
}

// TestDiskUsageWaitsForABusyEngine runs several measurements at once, as
// two dashboards or a `docker system df` beside devstack do: Engine 20.10
// refuses all but one, and every caller must still get its answer.
func TestDiskUsageWaitsForABusyEngine(t *testing.T) {
	e := testEngine(t)
	errs := make(chan error, 3)
	for range 3 {
		go func() {
			_, err := e.readDisk(context.Background())
			errs <- err
		}()
	}
	for range 3 {
		if err := <-errs; err != nil {
			t.Errorf("concurrent disk usage: %v", err)
		}
	}
}
