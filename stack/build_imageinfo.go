package stack

import (
	"context"
	"fmt"
	"time"
)

// ImageInfo is what devstack shows about an image.
type ImageInfo struct {
	ID      string
	Size    int64
	Created time.Time
	Tags    []string
}

// ImageInfo inspects an image by reference (name:tag or ID).
func (e *Engine) ImageInfo(ctx context.Context, ref string) (ImageInfo, error) {
	res, err := e.api.ImageInspect(ctx, ref)
	if err != nil {
		return ImageInfo{}, fmt.Errorf("inspect image %s: %w", ref, engineErr(err))
	}
	info := ImageInfo{ID: res.ID, Size: res.Size, Tags: res.RepoTags}
	if res.Created != "" {
		// A malformed date is not worth failing an inspect for.
		info.Created, _ = time.Parse(time.RFC3339Nano, res.Created)
	}
	return info, nil
}
