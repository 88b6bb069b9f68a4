package tui

import (
	"strconv"
	"time"

	"github.com/devstack/devstack/stack"
)

// logEntry is one stored log line, already made safe to draw.
type logEntry struct {
	text      string
	time      time.Time
	container string
	// number is the container's replica number (0: unknown).
	number int
	stream stack.Stream
	// ascii: plain printable ASCII (cut by bytes); esc: has SGR sequences.
	ascii, esc bool
}

// svcRing keeps the last cap lines of one service. Lines are addressed by
// an absolute number that only grows; those below start were evicted.
type svcRing struct {
	name     string
	buf      []logEntry
	start, n uint64
	cap      int
	// containers seen writing to this service; more than one means the
	// service is scaled and lines are labelled with the replica.
	containers map[string]bool
	last       string
}

func (r *svcRing) saw(container string) {
	if container == r.last || container == "" {
		return
	}
	if r.containers == nil {
		r.containers = map[string]bool{}
	}
	r.containers[container], r.last = true, container
}

// scaled reports whether several containers write to this service.
func (r *svcRing) scaled() bool { return len(r.containers) > 1 }

// label is what merged logs call a line's source: the service, with the
// replica number when the service is scaled ("web#2").
func (r *svcRing) label(e *logEntry) string {
	if !r.scaled() {
		return r.name
	}
	if e.number > 0 {
		return r.name + "#" + strconv.Itoa(e.number)
	}
	return r.name
}

func (r *svcRing) push(e logEntry) uint64 {
	abs := r.n
	if len(r.buf) < r.cap {
		r.buf = append(r.buf, e)
	} else {
		r.buf[abs%uint64(r.cap)] = e
		r.start++
	}
	r.n++
	return abs
}

func (r *svcRing) at(abs uint64) (*logEntry, bool) {
	if abs < r.start || abs >= r.n {
		return nil, false
	}
	return &r.buf[abs%uint64(r.cap)], true
}

// ref addresses a line: service index in the top 16 bits, absolute line
// number in the rest.
type ref uint64

func mkRef(svc int, abs uint64) ref { return ref(uint64(svc)<<48 | abs&(1<<48-1)) }
func (r ref) svc() int              { return int(uint64(r) >> 48) }
func (r ref) abs() uint64           { return uint64(r) & (1<<48 - 1) }

// logStore holds a ring per service and the merged order of all lines.
// Memory is bounded by the rings; the merged index holds stale refs for
// evicted lines until it is compacted, which happens once they are a
// quarter of it (amortised O(1) per line).
type logStore struct {
	cap     int
	rings   []*svcRing
	byName  map[string]int
	all     []ref
	evicted int
}

func newLogStore(capacity int) *logStore {
	return &logStore{cap: capacity, byName: map[string]int{}}
}

func (s *logStore) ring(name string) int {
	if i, ok := s.byName[name]; ok {
		return i
	}
	s.rings = append(s.rings, &svcRing{name: name, cap: s.cap})
	s.byName[name] = len(s.rings) - 1
	return len(s.rings) - 1
}

// append stores a batch and returns the refs of the new lines.
func (s *logStore) append(batch []stack.LogLine) []ref {
	added := make([]ref, 0, len(batch))
	for _, l := range batch {
		i := s.ring(l.Service)
		r := s.rings[i]
		if len(r.buf) == r.cap {
			s.evicted++
		}
		r.saw(l.ContainerName)
		text, ascii, esc := sanitizeLine(l.Text)
		abs := r.push(logEntry{text: text, time: l.Time, container: l.ContainerName, number: l.Number, stream: l.Stream, ascii: ascii, esc: esc})
		added = append(added, mkRef(i, abs))
	}
	s.all = append(s.all, added...)
	return added
}

// get returns the line behind a ref, or false when it was evicted.
func (s *logStore) get(r ref) (*logEntry, bool) {
	i := r.svc()
	if i >= len(s.rings) {
		return nil, false
	}
	return s.rings[i].at(r.abs())
}

func (s *logStore) alive(r ref) bool {
	_, ok := s.get(r)
	return ok
}

// needsCompact says whether stale refs are worth dropping now.
func (s *logStore) needsCompact() bool {
	return s.evicted > 1024 && s.evicted*4 > len(s.all)
}

// compactIndex drops stale refs from an index in place and moves each
// position in it to the same line's new place (or the next live one).
func (s *logStore) compactIndex(idx []ref, pos ...*int) []ref {
	out := idx[:0]
	moved := make([]bool, len(pos))
	for i, r := range idx {
		for j, p := range pos {
			if !moved[j] && *p == i {
				*p, moved[j] = len(out), true
			}
		}
		if s.alive(r) {
			out = append(out, r)
		}
	}
	for j, p := range pos {
		if !moved[j] && *p >= 0 {
			*p = len(out)
		}
	}
	return out
}

// serviceName is the name of the service a ref belongs to.
func (s *logStore) serviceName(r ref) string {
	return s.rings[r.svc()].name
}
