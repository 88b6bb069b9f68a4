package tui

import "github.com/devstack/devstack/stack"

// historyLen is how many samples a series keeps: 6 minutes at the default
// 2 s interval, more than the widest sparkline.
const historyLen = 180

// series is a fixed ring of samples.
type series struct {
	vals []float64
	next int
	full bool
}

func (s *series) add(v float64) {
	if s.vals == nil {
		s.vals = make([]float64, historyLen)
	}
	s.vals[s.next] = v
	s.next = (s.next + 1) % historyLen
	if s.next == 0 {
		s.full = true
	}
}

// last returns up to n most recent samples, oldest first.
func (s *series) last(n int) []float64 {
	if s == nil || s.vals == nil {
		return nil
	}
	size := s.next
	if s.full {
		size = historyLen
	}
	n = min(n, size)
	out := make([]float64, n)
	for i := 0; i < n; i++ {
		out[i] = s.vals[(s.next-n+i+historyLen)%historyLen]
	}
	return out
}

// history keeps CPU and memory samples per container.
type history struct {
	cpuS, memS map[string]*series
}

func newHistory() *history {
	return &history{cpuS: map[string]*series{}, memS: map[string]*series{}}
}

func (h *history) add(batch []stack.Stats) {
	for _, s := range batch {
		c, ok := h.cpuS[s.ContainerID]
		if !ok {
			c, h.memS[s.ContainerID] = &series{}, &series{}
			h.cpuS[s.ContainerID] = c
		}
		c.add(s.CPUPercent)
		h.memS[s.ContainerID].add(float64(s.MemoryUsage))
	}
}

// forget drops a removed container's history.
func (h *history) forget(id string) {
	delete(h.cpuS, id)
	delete(h.memS, id)
}

func (h *history) cpu(id string) []float64 {
	if h == nil {
		return nil
	}
	return h.cpuS[id].last(historyLen)
}

func (h *history) mem(id string) []float64 {
	if h == nil {
		return nil
	}
	return h.memS[id].last(historyLen)
}

// memTop is the highest memory sample kept, of any container.
func (h *history) memTop() float64 {
	top := 0.0
	for _, s := range h.memS {
		for _, v := range s.last(historyLen) {
			top = max(top, v)
		}
	}
	return top
}
