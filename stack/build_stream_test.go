package stack

import (
	"reflect"
	"strings"
	"testing"
)

func TestParseBuildStep(t *testing.T) {
	tests := []struct {
		text        string
		step, total int
		ok          bool
	}{
		{"Step 3/7 : RUN make", 3, 7, true},
		{"Step 12/12 : LABEL a=b", 12, 12, true},
		{"#8 [builder 3/7] RUN make", 3, 7, true},
		{"#5 [2/2] COPY . /src", 2, 2, true},
		{"#1 [internal] load build definition from Dockerfile", 0, 0, false},
		{" ---> Running in 4185e3702b95", 0, 0, false},
		{"echo Step 3/7 : inside output", 0, 0, false},
		{"", 0, 0, false},
	}
	for _, tt := range tests {
		step, total, ok := parseBuildStep(tt.text)
		if step != tt.step || total != tt.total || ok != tt.ok {
			t.Errorf("parseBuildStep(%q): got %d, %d, %v; want %d, %d, %v", tt.text, step, total, ok, tt.step, tt.total, tt.ok)
		}
	}
}

func TestReadBuildStream(t *testing.T) {
	// Messages as the classic builder sends them: stream chunks that split
	// and join lines, pull progress, the stage and final image IDs.
	stream := `{"stream":"Step 1/2 : FROM local/busybox\n ---\u003e 33356d52fbea\n"}
{"status":"Pulling from library/x","id":"latest"}
{"status":"Downloading","progressDetail":{"current":100,"total":200},"id":"abc"}
{"stream":"Step 2/2 : RUN echo hi"}
{"stream":"\n"}
{"stream":" ---\u003e Running in 0f\n"}
{"stream":"hi\n"}
{"aux":{"ID":"sha256:stage"}}
{"aux":{"ID":"sha256:final"}}
{"stream":"Successfully built final\n"}
`
	var got []string
	id, err := readBuildStream(strings.NewReader(stream), "api", func(p Progress) {
		if p.Kind != ProgressOutput || p.Service != "api" {
			t.Errorf("report %+v, want output of api", p)
		}
		got = append(got, p.Text)
	})
	if err != nil {
		t.Fatal(err)
	}
	if id != "sha256:final" {
		t.Errorf("image ID: got %q, want sha256:final", id)
	}
	want := []string{
		"Step 1/2 : FROM local/busybox", " ---> 33356d52fbea",
		"latest: Pulling from library/x",
		"Step 2/2 : RUN echo hi", " ---> Running in 0f", "hi",
		"image sha256:stage", "image sha256:final",
		"Successfully built final",
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("lines:\n got %q\nwant %q", got, want)
	}
}

func TestReadBuildStreamError(t *testing.T) {
	stream := `{"stream":"Step 2/2 : RUN exit 3\n"}
{"stream":"partial line without newline"}
{"errorDetail":{"code":3,"message":"The command '/bin/sh -c exit 3' returned a non-zero code: 3"},"error":"The command '/bin/sh -c exit 3' returned a non-zero code: 3"}
`
	var got []string
	_, err := readBuildStream(strings.NewReader(stream), "api", func(p Progress) { got = append(got, p.Text) })
	if err == nil || err.Error() != "The command '/bin/sh -c exit 3' returned a non-zero code: 3" {
		t.Errorf("got %v, want the engine's message", err)
	}
	if want := []string{"Step 2/2 : RUN exit 3", "partial line without newline"}; !reflect.DeepEqual(got, want) {
		t.Errorf("lines: got %q, want %q", got, want)
	}

	_, err = readBuildStream(strings.NewReader(`{"error":"old engines only say this"}`), "api", nil)
	if err == nil || err.Error() != "old engines only say this" {
		t.Errorf("error without errorDetail: got %v", err)
	}
	_, err = readBuildStream(strings.NewReader(`{"stream":"Step 1/1 : FROM x\n"}`), "api", nil)
	if err == nil || !strings.Contains(err.Error(), "without an image ID") {
		t.Errorf("truncated stream: got %v, want an error", err)
	}
}
