package stack

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/moby/moby/api/types/build"
	"github.com/moby/moby/api/types/container"
	"github.com/moby/moby/api/types/image"
	"github.com/moby/moby/api/types/network"
	"github.com/moby/moby/api/types/volume"
	"github.com/moby/moby/client"
)

// diskSnapshot is one reading of the engine's disk usage — the same data
// `docker system df -v` prints — plus the compose-labelled networks, which
// take no disk but are left behind all the same. clean and df both judge
// from one snapshot, so their figures agree with each other and with the
// engine.
type diskSnapshot struct {
	images     []image.Summary
	containers []container.Summary
	volumes    []volume.Volume
	buildCache []build.CacheRecord
	networks   []network.Summary
}

// readDisk asks the engine for its disk usage (one /system/df call; the
// engine measures every container's writable layer and every local
// volume's folder, so this is not for every frame) and lists the networks
// that carry a compose project label.
func (e *Engine) readDisk(ctx context.Context) (diskSnapshot, error) {
	du, err := e.diskUsage(ctx)
	if err != nil {
		return diskSnapshot{}, fmt.Errorf("disk usage: %w", err)
	}
	nets, err := e.api.NetworkList(ctx, client.NetworkListOptions{Filters: make(client.Filters).Add("label", labelProject)})
	if err != nil {
		return diskSnapshot{}, fmt.Errorf("list networks: %w", err)
	}
	return diskSnapshot{
		images:     du.Images.Items,
		containers: du.Containers.Items,
		volumes:    du.Volumes.Items,
		buildCache: du.BuildCache.Items,
		networks:   nets.Items,
	}, nil
}

// diskUsageBusy is how the engine (20.10 and older) refuses a /system/df
// call while another client's is running; newer engines share one
// computation among callers instead. It is the only sign there is.
const diskUsageBusy = "a disk usage operation is already running"

// diskUsage calls /system/df, waiting its turn while another client's call
// runs (docker system df, another devstack) rather than failing.
func (e *Engine) diskUsage(ctx context.Context) (client.DiskUsageResult, error) {
	for wait := 100 * time.Millisecond; ; wait = min(2*wait, 2*time.Second) {
		du, err := e.api.DiskUsage(ctx, client.DiskUsageOptions{
			Containers: true, Images: true, Volumes: true, BuildCache: true, Verbose: true,
		})
		if err == nil || !strings.Contains(err.Error(), diskUsageBusy) {
			return du, err
		}
		select {
		case <-ctx.Done():
			return du, fmt.Errorf("%w (waited for another client's disk usage call)", ctx.Err())
		case <-time.After(wait):
		}
	}
}

// projectNames lists every project that labels anything on the engine:
// containers, images, volumes or networks.
func (s diskSnapshot) projectNames() []string {
	var labels []map[string]string
	for _, c := range s.containers {
		labels = append(labels, c.Labels)
	}
	for _, im := range s.images {
		labels = append(labels, im.Labels)
	}
	for _, v := range s.volumes {
		labels = append(labels, v.Labels)
	}
	for _, n := range s.networks {
		labels = append(labels, n.Labels)
	}
	return sortedLabelValues(labels, labelProject)
}

// uniqueSize is the disk an image alone holds, what removing it frees:
// its size less the layers it shares with other images. The engine reports
// -1 for SharedSize when it did not compute it; the whole size is then the
// best figure there is.
func uniqueSize(im image.Summary) int64 {
	if im.SharedSize < 0 {
		return im.Size
	}
	return im.Size - im.SharedSize
}

// volumeSize is the size the engine measured for a volume, -1 when it
// measured none (volumes of other drivers).
func volumeSize(v volume.Volume) int64 {
	if v.UsageData == nil {
		return -1
	}
	return v.UsageData.Size
}

// isDangling reports an image with no tag.
func isDangling(im image.Summary) bool {
	for _, t := range im.RepoTags {
		if t != "<none>:<none>" {
			return false
		}
	}
	return true
}

// isAnonymousVolume reports a volume the engine named itself and compose
// did not declare.
func isAnonymousVolume(v volume.Volume) bool {
	_, declared := v.Labels[labelVolume]
	return !declared && anonymousVolumeName.MatchString(v.Name)
}

// shortID is an image or container ID as docker prints it: 12 hex digits.
func shortID(id string) string {
	id = strings.TrimPrefix(id, "sha256:")
	if len(id) > 12 {
		return id[:12]
	}
	return id
}
