package stack

import (
	"strings"

	"github.com/moby/moby/api/types/jsonstream"
)

// PullStatus is where one image's transfer (a pull or a push) stands: its
// bytes so far across layers and the state of each layer, so a renderer can
// show `pulling 43% 12.1/28.0 MB` and a line per layer.
type PullStatus struct {
	// Image is the reference as the compose file writes it.
	Image string
	// Services are the services that use the image (sorted).
	Services []string
	// Current and Total are the transferred and known compressed bytes of
	// the image's layers. Total grows as the engine learns each layer's size
	// (it starts a few layers at a time), so a percentage can step back.
	Current, Total int64
	// Layers are the layers seen so far, in the order the engine named them.
	Layers []LayerStatus
	// Layer is the index in Layers of the layer this step is about, or -1
	// when the step is about the whole image.
	Layer int
	// Digest is the manifest digest once the engine reports it.
	Digest string
}

// Percent is the share of known bytes transferred, 0–100 (0 while no size
// is known yet).
func (s PullStatus) Percent() int {
	if s.Total <= 0 {
		return 0
	}
	return int(min(s.Current*100/s.Total, 100))
}

// LayersDone counts the layers that need no more transfer.
func (s PullStatus) LayersDone() int {
	n := 0
	for _, l := range s.Layers {
		if l.Done {
			n++
		}
	}
	return n
}

// LayerStatus is one layer of an image transfer.
type LayerStatus struct {
	// ID is the short layer ID the engine reports.
	ID string
	// Status is the engine's word for the layer's phase: "Waiting",
	// "Downloading", "Extracting", "Pull complete", "Already exists",
	// "Pushing", "Pushed", "Layer already exists"...
	Status string
	// Current and Total are the bytes of the current phase (0 when unknown).
	Current, Total int64
	// Size is the layer's compressed size once known; Transferred is how
	// much of it has come through.
	Size, Transferred int64
	// Done is set once the layer needs no more transfer.
	Done bool
}

// transfer folds the engine's JSON messages for one image into a
// PullStatus and reports each change.
type transfer struct {
	kind     ProgressKind // ProgressPulling or ProgressPushing
	status   PullStatus
	index    map[string]int
	progress ProgressFunc
}

func newTransfer(kind ProgressKind, image string, services []string, progress ProgressFunc) *transfer {
	return &transfer{kind: kind, index: map[string]int{}, progress: progress,
		status: PullStatus{Image: image, Services: services, Layer: -1}}
}

// apply takes one message of the engine's stream.
func (t *transfer) apply(m jsonstream.Message) {
	if d, ok := strings.CutPrefix(m.Status, "Digest: "); ok {
		t.status.Digest = d
		return
	}
	if m.ID == "" || !isLayerStatus(m.Status) {
		return
	}
	i, ok := t.index[m.ID]
	if !ok {
		i = len(t.status.Layers)
		t.index[m.ID] = i
		t.status.Layers = append(t.status.Layers, LayerStatus{ID: m.ID})
	}
	l := &t.status.Layers[i]
	l.Status = m.Status
	l.Current, l.Total = 0, 0
	if m.Progress != nil {
		l.Current, l.Total = m.Progress.Current, m.Progress.Total
	}
	switch m.Status {
	case "Downloading", "Pushing":
		if l.Total > 0 {
			l.Size = l.Total
		}
		l.Transferred = min(l.Current, max(l.Size, l.Current))
	case "Download complete", "Verifying Checksum", "Extracting", "Pull complete", "Pushed":
		if m.Status == "Extracting" && l.Size == 0 && l.Total > 0 {
			l.Size = l.Total
		}
		l.Transferred = l.Size
		l.Done = l.Done || m.Status != "Extracting" && m.Status != "Verifying Checksum"
	case "Already exists", "Layer already exists":
		l.Done = true
	}
	if strings.HasPrefix(m.Status, "Mounted from") {
		l.Done = true
	}
	t.sum()
	t.report(i, t.kind, m.Status)
}

// isLayerStatus tells the per-layer messages from the image-level ones
// ("Pulling from library/x" carries the tag as its ID).
func isLayerStatus(s string) bool {
	switch s {
	case "Pulling fs layer", "Waiting", "Downloading", "Verifying Checksum", "Download complete",
		"Extracting", "Pull complete", "Already exists", "Preparing", "Pushing", "Pushed", "Layer already exists":
		return true
	}
	return strings.HasPrefix(s, "Mounted from") || strings.HasPrefix(s, "Retrying in")
}

func (t *transfer) sum() {
	t.status.Current, t.status.Total = 0, 0
	for _, l := range t.status.Layers {
		t.status.Current += l.Transferred
		t.status.Total += l.Size
	}
}

// report sends the current status as a step; layer is -1 for the whole
// image. The layers are copied: the receiver may keep the step.
func (t *transfer) report(layer int, kind ProgressKind, text string) {
	if t.progress == nil {
		return
	}
	st := t.status
	st.Layer = layer
	st.Layers = append([]LayerStatus(nil), t.status.Layers...)
	svc := ""
	if len(st.Services) > 0 {
		svc = st.Services[0]
	}
	t.progress(Progress{Kind: kind, Service: svc, Subject: st.Image, Text: text, Pull: &st})
}
