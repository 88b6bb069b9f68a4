package stack

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/moby/moby/client"
)

// PruneOptions shape PruneImages.
type PruneOptions struct {
	// DryRun lists what would be removed and removes nothing.
	DryRun bool
}

// PruneImages removes the dangling images labelled with the project — the
// old images that devstack's (or compose's) rebuilds of its services left
// untagged — and nothing else: not tagged images, not other projects',
// not images a container still uses. It returns the images removed and the
// bytes the engine reclaimed; with DryRun, the images that would go and the
// sum of their sizes (an upper bound, as layers may be shared).
func (e *Engine) PruneImages(ctx context.Context, project string, opts PruneOptions) ([]ImageInfo, int64, error) {
	filters := make(client.Filters).
		Add("dangling", "true").
		Add("label", "com.docker.compose.project="+project)
	list, err := e.api.ImageList(ctx, client.ImageListOptions{Filters: filters})
	if err != nil {
		return nil, 0, fmt.Errorf("prune images of %s: %w", project, err)
	}
	candidates := make(map[string]ImageInfo, len(list.Items))
	var total int64
	for _, im := range list.Items {
		candidates[im.ID] = ImageInfo{ID: im.ID, Size: im.Size, Created: time.Unix(im.Created, 0)}
		total += im.Size
	}
	if opts.DryRun || len(candidates) == 0 {
		return sortedImageInfos(candidates), total, nil
	}
	// The engine's prune applies the same filters itself, skips images in
	// use and measures the space it frees.
	res, err := e.imagePrune(ctx, filters)
	if err != nil {
		return nil, 0, fmt.Errorf("prune images of %s: %w", project, err)
	}
	removed := map[string]ImageInfo{}
	for _, d := range res.Report.ImagesDeleted {
		if info, ok := candidates[d.Deleted]; ok {
			removed[d.Deleted] = info
		}
	}
	return sortedImageInfos(removed), int64(res.Report.SpaceReclaimed), nil
}

// sortedImageInfos orders images oldest first, then by ID.
func sortedImageInfos(m map[string]ImageInfo) []ImageInfo {
	out := make([]ImageInfo, 0, len(m))
	for _, info := range m {
		out = append(out, info)
	}
	slices.SortFunc(out, func(a, b ImageInfo) int {
		if c := a.Created.Compare(b.Created); c != 0 {
			return c
		}
		return strings.Compare(a.ID, b.ID)
	})
	return out
}

// pruneBusyWait bounds how long a prune waits for another one to finish.
const pruneBusyWait = time.Minute

// imagePrune runs the engine's image prune. The engine runs one prune at a
// time for all its clients and refuses a second ("a prune operation is
// already running"); that one waits its turn instead of failing.
func (e *Engine) imagePrune(ctx context.Context, filters client.Filters) (client.ImagePruneResult, error) {
	deadline := time.Now().Add(pruneBusyWait)
	for {
		res, err := e.api.ImagePrune(ctx, client.ImagePruneOptions{Filters: filters})
		if err == nil || !strings.Contains(err.Error(), "prune operation is already running") || time.Now().After(deadline) {
			return res, err
		}
		select {
		case <-ctx.Done():
			return res, ctx.Err()
		case <-time.After(200 * time.Millisecond):
		}
	}
}
