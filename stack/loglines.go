package stack

import (
	"bufio"
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/moby/moby/api/pkg/stdcopy"
)

// maxLogLine bounds one line: a process that writes megabytes without a
// newline gets its output cut into pieces of this size instead of having it
// held in memory until a newline comes.
const maxLogLine = 64 << 10

// errStopped ends a copy when the consumer is gone.
var errStopped = errors.New("log stream stopped")

// logSplitter turns one output stream of a container into LogLines. Each
// message the engine sends starts with its timestamp (devstack always asks
// for them); the splitter strips it into LogLine.Time. A line the engine
// split into several messages (it does so above 16 KiB) is joined again,
// with the time of its first piece.
type logSplitter struct {
	base  LogLine
	emit  func(LogLine) bool
	carry []byte
	start time.Time // time of the line being carried
	last  time.Time // time of the last line emitted
}

// message splits one message into lines; stamped says it begins with a
// timestamp. It reports false once the consumer is gone.
func (s *logSplitter) message(p []byte, stamped bool) bool {
	if stamped {
		var t time.Time
		t, p = cutTimestamp(p)
		if len(s.carry) == 0 {
			s.start = t
		}
	}
	for {
		i := bytes.IndexByte(p, '\n')
		if i < 0 {
			return s.hold(p)
		}
		if !s.line(p[:i]) {
			return false
		}
		p = p[i+1:]
	}
}

// hold keeps the start of an unfinished line, emitting it in pieces of
// maxLogLine when it grows past that.
func (s *logSplitter) hold(p []byte) bool {
	s.carry = append(s.carry, p...)
	for len(s.carry) >= maxLogLine {
		if !s.send(string(s.carry[:maxLogLine])) {
			return false
		}
		s.carry = s.carry[:copy(s.carry, s.carry[maxLogLine:])]
	}
	return true
}

// line completes the carried line with seg and emits it, in pieces when
// it is longer than maxLogLine.
func (s *logSplitter) line(seg []byte) bool {
	if len(s.carry) == 0 && len(seg) <= maxLogLine {
		return s.send(trimCR(seg))
	}
	cut := len(s.carry)+len(seg) >= maxLogLine
	if !s.hold(seg) {
		return false
	}
	if cut && len(s.carry) == 0 {
		return true // the line ended exactly where a piece did
	}
	seg, s.carry = s.carry, s.carry[:0]
	return s.send(trimCR(seg))
}

// trimCR drops the \r a TTY puts before each newline.
func trimCR(b []byte) string {
	return string(bytes.TrimSuffix(b, []byte{'\r'}))
}

// end emits what is left when the stream ends without a final newline.
func (s *logSplitter) end() bool {
	if len(s.carry) == 0 {
		return true
	}
	text := string(s.carry)
	s.carry = s.carry[:0]
	return s.send(text)
}

func (s *logSplitter) send(text string) bool {
	l := s.base
	l.Time = s.start
	l.Text = text
	s.last = s.start
	return s.emit(l)
}

// splitRaw reads the raw stream of a TTY container, where nothing marks
// where one message ends: each line starts with its timestamp.
func (s *logSplitter) splitRaw(r io.Reader) error {
	br := bufio.NewReaderSize(r, maxLogLine)
	midLine := false
	for {
		chunk, err := br.ReadSlice('\n')
		if len(chunk) > 0 && !s.message(chunk, !midLine) {
			return errStopped
		}
		midLine = errors.Is(err, bufio.ErrBufferFull)
		switch {
		case err == nil || midLine:
		case errors.Is(err, io.EOF):
			return nil
		default:
			return err
		}
	}
}

// splitFrames demultiplexes the stream of a container without a TTY: each
// frame is an 8-byte header (stream, size) and one message of the log
// driver. It does what stdcopy.StdCopy does, but hands each frame over in
// place: StdCopy moves its whole 32 KiB buffer down after every frame, which
// made it three quarters of the cost of a log flood (545 ns a line against
// 111 with this loop, BenchmarkCopyLogsParse).
func splitFrames(r io.Reader, out, errs *logSplitter) error {
	br := bufio.NewReaderSize(r, 64<<10)
	var big []byte
	for {
		head, err := br.Peek(8)
		if err != nil {
			if errors.Is(err, io.EOF) {
				return nil
			}
			return err
		}
		stream := stdcopy.StdType(head[0])
		size := int(binary.BigEndian.Uint32(head[4:]))
		br.Discard(8)
		msg, peeked := []byte(nil), size <= br.Size()
		if peeked {
			if msg, err = br.Peek(size); err != nil {
				return ignoreEOF(err)
			}
		} else {
			if cap(big) < size {
				big = make([]byte, size)
			}
			big = big[:size]
			if _, err = io.ReadFull(br, big); err != nil {
				return ignoreEOF(err)
			}
			msg = big
		}
		switch stream {
		case stdcopy.Stdin, stdcopy.Stdout:
			err = out.messageOK(msg)
		case stdcopy.Stderr:
			err = errs.messageOK(msg)
		case stdcopy.Systemerr:
			return fmt.Errorf("engine: %s", msg)
		default:
			return fmt.Errorf("log stream: unknown stream %d", stream)
		}
		if err != nil {
			return err
		}
		if peeked {
			br.Discard(size)
		}
	}
}

// messageOK is message for a stamped frame, as an error.
func (s *logSplitter) messageOK(p []byte) error {
	if !s.message(p, true) {
		return errStopped
	}
	return nil
}

// ignoreEOF treats a stream cut inside a frame as its end, as StdCopy does.
func ignoreEOF(err error) error {
	if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
		return nil
	}
	return err
}

// cutTimestamp splits the engine's "2006-01-02T15:04:05.999999999Z " prefix
// off a message. A message without one is returned whole with a zero time.
func cutTimestamp(p []byte) (time.Time, []byte) {
	i := bytes.IndexByte(p[:min(len(p), 40)], ' ')
	if i < 0 {
		return time.Time{}, p
	}
	if t, ok := parseEngineTime(p[:i]); ok {
		return t, p[i+1:]
	}
	if t, err := time.Parse(time.RFC3339Nano, string(p[:i])); err == nil {
		return t, p[i+1:]
	}
	return time.Time{}, p
}

// parseEngineTime parses the engine's fixed-width UTC format
// (2006-01-02T15:04:05.000000000Z) without allocating; time.Parse costs
// several times more per line in a flood.
func parseEngineTime(b []byte) (time.Time, bool) {
	if len(b) != 30 || b[4] != '-' || b[7] != '-' || b[10] != 'T' || b[13] != ':' ||
		b[16] != ':' || b[19] != '.' || b[29] != 'Z' {
		return time.Time{}, false
	}
	ok := true
	num := func(from, to int) int {
		n := 0
		for _, c := range b[from:to] {
			if c < '0' || c > '9' {
				ok = false
			}
			n = n*10 + int(c-'0')
		}
		return n
	}
	t := time.Date(num(0, 4), time.Month(num(5, 7)), num(8, 10),
		num(11, 13), num(14, 16), num(17, 19), num(20, 29), time.UTC)
	return t, ok
}
