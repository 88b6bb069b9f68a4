package testregistry

import (
	"fmt"
	"io"
	"net/http"
	"testing"
	"time"

	"github.com/google/go-containerregistry/pkg/v1/empty"
)

// TestThrottleCountsOnlyTheEnginesBlobBytes pushes an image through the
// throttle (the test's own requests, not counted), then reads one layer as
// the engine would: the whole blob arrives, its bytes are counted, and at
// 64 kB a piece it takes several pauses.
func TestThrottleCountsOnlyTheEnginesBlobBytes(t *testing.T) {
	th := NewThrottle(20 * time.Millisecond)
	reg := Start(t, th.Wrap)
	img := WithRandomLayers(t, empty.Image, 256<<10)
	reg.Push(t, "unit/img:v1", img)
	if n := th.Served(); n != 0 {
		t.Fatalf("the push counted %d blob bytes, want 0", n)
	}
	layers, err := img.Layers()
	if err != nil {
		t.Fatal(err)
	}
	d, _ := layers[0].Digest()
	size, _ := layers[0].Size()
	start := time.Now()
	resp, err := http.Get(fmt.Sprintf("http://%s/v2/unit/img/blobs/%s", reg.Host, d))
	if err != nil {
		t.Fatal(err)
	}
	body, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	if err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("GET blob: %v, status %d", err, resp.StatusCode)
	}
	if int64(len(body)) != size || th.Served() != size {
		t.Errorf("got %d bytes, %d counted; want the blob's %d", len(body), th.Served(), size)
	}
	if took, floor := time.Since(start), time.Duration(size/int64(th.Piece))*th.Pause; took < floor {
		t.Errorf("a throttled %d-byte blob came in %v, want at least %v", size, took, floor)
	}
	th.SetOn(false)
	resp, err = http.Get(fmt.Sprintf("http://%s/v2/unit/img/blobs/%s", reg.Host, d))
	if err != nil {
		t.Fatal(err)
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	if th.Served() != 2*size {
		t.Errorf("after an unthrottled read %d bytes counted, want %d", th.Served(), 2*size)
	}
}
