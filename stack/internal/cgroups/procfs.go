package cgroups

import (
	"bytes"
	"fmt"
	"os"
	"strconv"
	"strings"
)

// ClockTicks is USER_HZ, the unit of /proc/stat; 100 on every Linux the
// engine supports (the engine assumes the same).
const ClockTicks = 100

// HostCPU reads the host's total CPU time (user, nice, system, idle,
// iowait, irq, softirq — the sum the engine reports as system_cpu_usage) in
// nanoseconds, and the number of online CPUs.
func HostCPU() (system uint64, online int, err error) {
	b, err := readCounterFile("/proc/stat")
	if err != nil {
		return 0, 0, err
	}
	for line := range bytes.Lines(b) {
		switch {
		case bytes.HasPrefix(line, []byte("cpu ")):
			f := strings.Fields(string(line))
			if len(f) < 8 {
				return 0, 0, fmt.Errorf("/proc/stat: short cpu line %q", line)
			}
			for _, v := range f[1:8] {
				n, err := strconv.ParseUint(v, 10, 64)
				if err != nil {
					return 0, 0, fmt.Errorf("/proc/stat: %w", err)
				}
				system += n
			}
		case bytes.HasPrefix(line, []byte("cpu")):
			online++
		}
	}
	return system * (1e9 / ClockTicks), online, nil
}

// HostMemory is the machine's memory in bytes, the limit of a container
// without one (0 when it cannot be read).
func HostMemory() uint64 {
	b, err := os.ReadFile("/proc/meminfo")
	if err != nil {
		return 0
	}
	for line := range bytes.Lines(b) {
		if rest, ok := bytes.CutPrefix(line, []byte("MemTotal:")); ok {
			f := strings.Fields(string(rest))
			if len(f) > 0 {
				kb, _ := strconv.ParseUint(f[0], 10, 64)
				return kb * 1024
			}
		}
	}
	return 0
}

// netDev sums received and sent bytes over the interfaces of a network
// namespace's net/dev file (/proc/<pid>/net/dev), leaving out loopback as
// the engine does.
func netDev(path string) (rx, tx uint64, err error) {
	b, err := readCounterFile(path)
	if err != nil {
		return 0, 0, fmt.Errorf("%w: %v", errUnreadable, err)
	}
	for line := range bytes.Lines(b) {
		name, rest, ok := strings.Cut(string(line), ":")
		if !ok || strings.TrimSpace(name) == "lo" {
			continue
		}
		f := strings.Fields(rest)
		if len(f) < 9 {
			continue
		}
		r, _ := strconv.ParseUint(f[0], 10, 64)
		t, _ := strconv.ParseUint(f[8], 10, 64)
		rx += r
		tx += t
	}
	return rx, tx, nil
}
