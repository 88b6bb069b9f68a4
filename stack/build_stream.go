package stack

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"regexp"
	"strconv"
	"strings"

	buildtypes "github.com/moby/moby/api/types/build"
	"github.com/moby/moby/api/types/jsonstream"
)

// buildMessage is one message of the classic builder's JSON stream. Old
// engines put the error text in "error" as well as "errorDetail".
type buildMessage struct {
	jsonstream.Message
	ErrorText string `json:"error,omitempty"`
}

// readBuildStream reports the builder's output line by line as it arrives
// and returns the built image's ID, or the engine's error message.
func readBuildStream(r io.Reader, service string, progress ProgressFunc) (string, error) {
	out := lineSplitter{emit: func(line string) {
		progress.report(outputProgress(service, line))
	}}
	defer out.flush()
	imageID := ""
	dec := json.NewDecoder(r)
	for {
		var m buildMessage
		err := dec.Decode(&m)
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return "", fmt.Errorf("read build output: %w", err)
		}
		switch {
		case m.Error != nil || m.ErrorText != "":
			out.flush()
			if m.Error != nil && m.Error.Message != "" {
				return "", errors.New(m.Error.Message)
			}
			return "", errors.New(m.ErrorText)
		case m.Stream != "":
			out.write(m.Stream)
		case m.Status != "":
			// Pull progress ticks repeat the same status with a growing
			// count; the status lines themselves are enough.
			if m.Progress != nil && m.Progress.Current > 0 {
				continue
			}
			text := m.Status
			if m.ID != "" {
				text = m.ID + ": " + text
			}
			out.line(text)
		case m.Aux != nil:
			var res buildtypes.Result
			if json.Unmarshal(*m.Aux, &res) == nil && res.ID != "" {
				imageID = res.ID
				out.line("image " + res.ID)
			}
		}
	}
	if imageID == "" {
		return "", errors.New("the engine's build output ended without an image ID")
	}
	return imageID, nil
}

// lineSplitter turns stream chunks, which may hold several lines or part
// of one, into whole lines.
type lineSplitter struct {
	partial string
	emit    func(string)
}

func (s *lineSplitter) write(chunk string) {
	text := s.partial + chunk
	for {
		i := strings.IndexByte(text, '\n')
		if i < 0 {
			break
		}
		s.emit(strings.TrimRight(text[:i], "\r"))
		text = text[i+1:]
	}
	s.partial = text
}

func (s *lineSplitter) line(text string) {
	s.flush()
	s.emit(text)
}

func (s *lineSplitter) flush() {
	if s.partial != "" {
		s.emit(s.partial)
		s.partial = ""
	}
}

var (
	classicStepRe  = regexp.MustCompile(`^Step (\d+)/(\d+) :`)
	buildkitStepRe = regexp.MustCompile(`^#\d+ \[(?:[^\]]*\s)?(\d+)/(\d+)\]`)
)

// parseBuildStep recognises a build output line that starts a step — the
// classic builder's "Step 3/7 : RUN ..." or BuildKit's plain
// "#8 [builder 3/7] RUN ..." — and returns its number and the total.
func parseBuildStep(text string) (step, total int, ok bool) {
	m := classicStepRe.FindStringSubmatch(text)
	if m == nil {
		m = buildkitStepRe.FindStringSubmatch(text)
	}
	if m == nil {
		return 0, 0, false
	}
	step, err1 := strconv.Atoi(m[1])
	total, err2 := strconv.Atoi(m[2])
	if err1 != nil || err2 != nil {
		return 0, 0, false
	}
	return step, total, true
}
