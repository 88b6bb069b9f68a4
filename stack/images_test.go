package stack

import (
	"context"
	"strings"
	"testing"

	cerrdefs "github.com/containerd/errdefs"
	"github.com/moby/moby/client"
)

const builtStack = `
services:
  app:
    build: ./app
    init: true
`

func TestUpBuildsMissingImagesAndRecreatesOnANewImage(t *testing.T) {
	s := newTestStack(t, "build")
	requireFixture(t, s.e, "local/busybox")
	ctx := context.Background()
	tag := s.Name + "-app"
	var images []string
	t.Cleanup(func() {
		removeProject(t, s.e, s.Name) // containers first, so their images can go
		// builds label every image they make, intermediate ones included
		res, err := s.e.api.ImageList(context.Background(), client.ImageListOptions{All: true,
			Filters: make(client.Filters).Add("label", projectLabelFilter(s.Name))})
		if err != nil {
			t.Errorf("cleanup: list images: %v", err)
		}
		for _, img := range res.Items {
			images = append(images, img.ID)
		}
		for _, ref := range append(images, tag) {
			_, _ = s.e.api.ImageRemove(context.Background(), ref, client.ImageRemoveOptions{Force: true, PruneChildren: true})
		}
	})
	s.write("app/Dockerfile", "FROM local/busybox\nCMD [\"sleep\", \"1d\"]\n")
	p := s.load(builtStack)
	if err := s.e.Up(ctx, p, UpOptions{NoBuild: true}); err == nil || !strings.Contains(err.Error(), tag+" not found locally") {
		t.Fatalf("up without building: got %v, want the missing image named", err)
	}
	if err := s.e.Up(ctx, p, UpOptions{}); err != nil {
		t.Fatalf("up: %v", err)
	}
	first := s.container("app")
	images = append(images, first.ImageID)
	if first.Image != tag || first.State != StateRunning || first.Labels[labelImage] != first.ImageID {
		t.Fatalf("got image %s (label %s, id %s) state %s, want %s running", first.Image, first.Labels[labelImage], first.ImageID, first.State, tag)
	}

	s.write("app/Dockerfile", "FROM local/busybox\nLABEL rebuilt=yes\nCMD [\"sleep\", \"1d\"]\n")
	var log stepLog
	if err := s.e.Up(ctx, p, UpOptions{Build: true, Progress: log.fn()}); err != nil {
		t.Fatalf("up --build: %v", err)
	}
	second := s.container("app")
	images = append(images, second.ImageID)
	if log.count(ProgressBuilt, "app") != 1 {
		t.Errorf("up --build reported %d builds, want 1", log.count(ProgressBuilt, "app"))
	}
	if second.ImageID == first.ImageID || second.ID == first.ID {
		t.Errorf("a new image did not replace the container (image changed %v, container changed %v)",
			second.ImageID != first.ImageID, second.ID != first.ID)
	}

	// down --rmi local removes the image built for the service, nothing else
	if err := s.e.Down(ctx, s.Name, p, DownOptions{RemoveImages: "local"}); err != nil {
		t.Fatalf("down --rmi local: %v", err)
	}
	if _, err := s.e.api.ImageInspect(ctx, tag); !cerrdefs.IsNotFound(err) {
		t.Errorf("image %s is still there after down --rmi local (err %v)", tag, err)
	}
	requireFixture(t, s.e, "local/busybox")
}
