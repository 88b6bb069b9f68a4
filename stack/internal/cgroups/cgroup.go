package cgroups

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Sample is one reading of a container's counters, from the cgroup files
// or from the engine's stats API (which reads the same files). Rates and
// CPU% are differences of two of them.
type Sample struct {
	Time       time.Time
	CPU        uint64 // container CPU time, ns
	System     uint64 // host CPU time of all CPUs, ns (the CLI's "system" usage)
	OnlineCPUs int
	MemUsage   uint64 // without the inactive page cache, as the docker CLI shows it
	MemLimit   uint64
	NetRx      uint64
	NetTx      uint64
	BlockRead  uint64
	BlockWrite uint64
	Pids       uint64
}

// Reader reads one container's counters straight from its cgroup files and
// its network namespace, which costs the engine nothing.
type Reader struct {
	pid int
	v2  bool
	// Directories of the container's cgroup per controller; on cgroup v2
	// they are all the same directory.
	cpu, memory, blkio, pids string
	hostMem                  uint64
}

// errUnreadable means the container's cgroup cannot be read from here (the
// engine runs in a VM, in another namespace, or the files are private).
var errUnreadable = errors.New("cgroup not readable")

// Open finds the cgroup of a container from its main process, for
// cgroup v1 and v2 and both the cgroupfs and systemd drivers. It checks
// that the path names the container, so a pid from another machine or
// namespace (Docker Desktop) is not mistaken for it.
func Open(pid int, containerID string) (*Reader, error) {
	if pid <= 0 {
		return nil, fmt.Errorf("%w: no process", errUnreadable)
	}
	own, err := os.ReadFile(fmt.Sprintf("/proc/%d/cgroup", pid))
	if err != nil {
		return nil, fmt.Errorf("%w: %v", errUnreadable, err)
	}
	mountinfo, err := os.ReadFile("/proc/self/mountinfo")
	if err != nil {
		return nil, fmt.Errorf("%w: %v", errUnreadable, err)
	}
	paths := parseProcCgroup(own)
	mounts := parseCgroupMounts(mountinfo)
	r := &Reader{pid: pid, hostMem: HostMemory()}
	if _, v1 := paths["memory"]; v1 {
		r.cpu = mounts.dir("cpuacct", paths["cpuacct"])
		r.memory = mounts.dir("memory", paths["memory"])
		r.blkio = mounts.dir("blkio", paths["blkio"])
		r.pids = mounts.dir("pids", paths["pids"])
	} else {
		r.v2 = true
		dir := mounts.dir("", paths[""])
		r.cpu, r.memory, r.blkio, r.pids = dir, dir, dir, dir
	}
	if r.cpu == "" || r.memory == "" || !strings.Contains(r.memory, containerID) {
		return nil, fmt.Errorf("%w: no cgroup of container %.12s for pid %d", errUnreadable, containerID, pid)
	}
	// One full read proves the files are there and readable.
	if _, err := r.Sample(0); err != nil {
		return nil, err
	}
	return r, nil
}

// parseProcCgroup maps each controller to the process's cgroup path;
// the cgroup v2 entry is under "".
func parseProcCgroup(b []byte) map[string]string {
	paths := map[string]string{}
	for line := range strings.Lines(string(b)) {
		parts := strings.SplitN(strings.TrimSpace(line), ":", 3)
		if len(parts) != 3 {
			continue
		}
		if parts[1] == "" {
			paths[""] = parts[2]
			continue
		}
		for _, c := range strings.Split(parts[1], ",") {
			paths[c] = parts[2]
		}
	}
	return paths
}

type cgroupMount struct {
	dir, root   string
	controllers []string // empty for cgroup v2
}

type cgroupMounts []cgroupMount

// parseCgroupMounts reads the cgroup and cgroup2 mounts of mountinfo.
func parseCgroupMounts(b []byte) cgroupMounts {
	var ms cgroupMounts
	for line := range strings.Lines(string(b)) {
		pre, post, ok := strings.Cut(line, " - ")
		if !ok {
			continue
		}
		f, g := strings.Fields(pre), strings.Fields(post)
		if len(f) < 5 || len(g) < 3 {
			continue
		}
		switch g[0] {
		case "cgroup2":
			ms = append(ms, cgroupMount{dir: f[4], root: f[3]})
		case "cgroup":
			ms = append(ms, cgroupMount{dir: f[4], root: f[3], controllers: strings.Split(g[2], ",")})
		}
	}
	return ms
}

// dir is the directory of cgroup path for a controller ("" for v2), or ""
// when no mount holds it.
func (ms cgroupMounts) dir(controller, path string) string {
	for _, m := range ms {
		v2 := len(m.controllers) == 0
		if (controller == "") != v2 || (!v2 && !slices.Contains(m.controllers, controller)) {
			continue
		}
		rel, ok := strings.CutPrefix(path, m.root)
		if !ok && m.root != "/" {
			continue
		}
		if m.root == "/" {
			rel = path
		}
		return filepath.Join(m.dir, rel)
	}
	return ""
}

// Sample reads the container's counters. System CPU time comes from the
// caller, which reads it with HostCPU once per round for every container,
// and so does OnlineCPUs.
func (r *Reader) Sample(system uint64) (Sample, error) {
	s := Sample{Time: time.Now(), System: system}
	var err error
	if r.v2 {
		err = r.readV2(&s)
	} else {
		err = r.readV1(&s)
	}
	if err != nil {
		return s, err
	}
	if r.hostMem > 0 && (s.MemLimit == 0 || s.MemLimit > r.hostMem) {
		s.MemLimit = r.hostMem
	}
	s.NetRx, s.NetTx, err = netDev(fmt.Sprintf("/proc/%d/net/dev", r.pid))
	return s, err
}

func (r *Reader) readV1(s *Sample) error {
	var errs [7]error
	s.CPU, errs[0] = readUint(filepath.Join(r.cpu, "cpuacct.usage"))
	usage, e1 := readUint(filepath.Join(r.memory, "memory.usage_in_bytes"))
	inactive, e2 := readKey(filepath.Join(r.memory, "memory.stat"), "total_inactive_file")
	s.MemUsage, errs[1], errs[2] = WithoutCache(usage, inactive), e1, e2
	s.MemLimit, errs[3] = readUint(filepath.Join(r.memory, "memory.limit_in_bytes"))
	s.Pids, errs[4] = readUint(filepath.Join(r.pids, "pids.current"))
	s.BlockRead, s.BlockWrite, errs[5] = blkioV1(r.blkio)
	return errors.Join(errs[:]...)
}

func (r *Reader) readV2(s *Sample) error {
	var errs [6]error
	usec, e0 := readKey(filepath.Join(r.cpu, "cpu.stat"), "usage_usec")
	s.CPU, errs[0] = usec*1000, e0
	usage, e1 := readUint(filepath.Join(r.memory, "memory.current"))
	inactive, e2 := readKey(filepath.Join(r.memory, "memory.stat"), "inactive_file")
	s.MemUsage, errs[1], errs[2] = WithoutCache(usage, inactive), e1, e2
	s.MemLimit, errs[3] = readUint(filepath.Join(r.memory, "memory.max")) // "max" reads as 0: host memory
	s.Pids, errs[4] = readUint(filepath.Join(r.pids, "pids.current"))
	s.BlockRead, s.BlockWrite, errs[5] = ioStatV2(filepath.Join(r.blkio, "io.stat"))
	return errors.Join(errs[:]...)
}

// WithoutCache is memory usage less the inactive page cache, as the docker
// CLI shows it: that cache is reclaimable and would make every container
// that reads files look big.
func WithoutCache(usage, inactiveFile uint64) uint64 {
	if inactiveFile < usage {
		return usage - inactiveFile
	}
	return usage
}

// blkioV1 sums the bytes read and written over all devices.
func blkioV1(dir string) (read, write uint64, err error) {
	b, err := readCounterFile(filepath.Join(dir, "blkio.throttle.io_service_bytes_recursive"))
	if errors.Is(err, os.ErrNotExist) {
		b, err = readCounterFile(filepath.Join(dir, "blkio.throttle.io_service_bytes"))
	}
	if err != nil {
		return 0, 0, fmt.Errorf("%w: %v", errUnreadable, err)
	}
	for line := range bytes.Lines(b) {
		f := strings.Fields(string(line))
		if len(f) != 3 {
			continue
		}
		n, _ := strconv.ParseUint(f[2], 10, 64)
		switch strings.ToLower(f[1]) {
		case "read":
			read += n
		case "write":
			write += n
		}
	}
	return read, write, nil
}

// ioStatV2 sums rbytes and wbytes of io.stat over all devices.
func ioStatV2(path string) (read, write uint64, err error) {
	b, err := readCounterFile(path)
	if err != nil {
		return 0, 0, fmt.Errorf("%w: %v", errUnreadable, err)
	}
	for _, field := range strings.Fields(string(b)) {
		k, v, ok := strings.Cut(field, "=")
		if !ok {
			continue
		}
		n, _ := strconv.ParseUint(v, 10, 64)
		switch k {
		case "rbytes":
			read += n
		case "wbytes":
			write += n
		}
	}
	return read, write, nil
}

// readUint reads a file holding one number; "max" reads as 0.
func readUint(path string) (uint64, error) {
	b, err := readCounterFile(path)
	if err != nil {
		return 0, fmt.Errorf("%w: %v", errUnreadable, err)
	}
	s := strings.TrimSpace(string(b))
	if s == "max" {
		return 0, nil
	}
	n, err := strconv.ParseUint(s, 10, 64)
	if err != nil {
		return 0, fmt.Errorf("%s: %w", path, err)
	}
	return n, nil
}

// readKey reads one value of a "key value" per line file (memory.stat,
// cpu.stat); a missing key reads as 0.
func readKey(path, key string) (uint64, error) {
	b, err := readCounterFile(path)
	if err != nil {
		return 0, fmt.Errorf("%w: %v", errUnreadable, err)
	}
	for line := range bytes.Lines(b) {
		if v, ok := bytes.CutPrefix(line, []byte(key+" ")); ok {
			return strconv.ParseUint(string(bytes.TrimSpace(v)), 10, 64)
		}
	}
	return 0, nil
}
