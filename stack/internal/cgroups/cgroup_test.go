package cgroups

import (
	"errors"
	"os"
	"path/filepath"
	"testing"
)

const mountinfoV1 = `31 23 0:28 / /sys/fs/cgroup rw,relatime - tmpfs tmpfs rw,mode=755
32 31 0:29 / /sys/fs/cgroup/cpu,cpuacct rw,relatime - cgroup cgroup rw,cpu,cpuacct
35 31 0:32 / /sys/fs/cgroup/memory rw,relatime - cgroup cgroup rw,memory
38 31 0:35 / /sys/fs/cgroup/blkio rw,relatime - cgroup cgroup rw,blkio
39 31 0:36 / /sys/fs/cgroup/pids rw,relatime - cgroup cgroup rw,pids
41 31 0:38 / /sys/fs/cgroup/unified rw,relatime - cgroup2 cgroup2 rw
`

const mountinfoV2 = `25 1 0:23 / /sys/fs/cgroup rw,nosuid - cgroup2 cgroup2 rw,nsdelegate
`

// A cgroup namespace or a bind mount of part of the hierarchy: the mount's
// root is not "/".
const mountinfoNested = `40 31 0:32 /docker /sys/fs/cgroup/memory rw - cgroup cgroup rw,memory
41 31 0:29 /docker /sys/fs/cgroup/cpuacct rw - cgroup cgroup rw,cpuacct
`

func TestCgroupDirs(t *testing.T) {
	const id = "abc123"
	tests := []struct {
		name, mountinfo, proc string
		controller            string
		want                  string
	}{
		{"v1 cgroupfs memory", mountinfoV1, "4:memory:/docker/abc123\n2:cpu,cpuacct:/docker/abc123\n0::/docker/abc123\n",
			"memory", "/sys/fs/cgroup/memory/docker/abc123"},
		{"v1 joined cpu,cpuacct", mountinfoV1, "2:cpu,cpuacct:/docker/abc123\n", "cpuacct", "/sys/fs/cgroup/cpu,cpuacct/docker/abc123"},
		{"v1 systemd driver", mountinfoV1, "4:memory:/system.slice/docker-abc123.scope\n",
			"memory", "/sys/fs/cgroup/memory/system.slice/docker-abc123.scope"},
		{"v2 systemd driver", mountinfoV2, "0::/system.slice/docker-abc123.scope\n",
			"", "/sys/fs/cgroup/system.slice/docker-abc123.scope"},
		{"v2 cgroupfs driver", mountinfoV2, "0::/docker/abc123\n", "", "/sys/fs/cgroup/docker/abc123"},
		{"nested mount root", mountinfoNested, "4:memory:/docker/abc123\n", "memory", "/sys/fs/cgroup/memory/abc123"},
		{"controller not mounted", mountinfoV2, "4:memory:/docker/abc123\n", "memory", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			paths := parseProcCgroup([]byte(tt.proc))
			got := parseCgroupMounts([]byte(tt.mountinfo)).dir(tt.controller, paths[tt.controller])
			if got != tt.want {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
}

func TestBlockIOCounters(t *testing.T) {
	dir := t.TempDir()
	v1 := "8:0 Read 4096\n8:0 Write 1000\n8:0 Sync 5096\n8:16 Read 4\n8:16 Write 0\nTotal 5100\n"
	if err := os.WriteFile(filepath.Join(dir, "blkio.throttle.io_service_bytes_recursive"), []byte(v1), 0o644); err != nil {
		t.Fatal(err)
	}
	r, w, err := blkioV1(dir)
	if err != nil || r != 4100 || w != 1000 {
		t.Errorf("cgroup v1: got read %d write %d err %v, want 4100 1000", r, w, err)
	}
	v2 := "8:0 rbytes=4096 wbytes=1000 rios=1 wios=2 dbytes=0 dios=0\n8:16 rbytes=4 wbytes=6 rios=1 wios=1\n"
	path := filepath.Join(dir, "io.stat")
	if err := os.WriteFile(path, []byte(v2), 0o644); err != nil {
		t.Fatal(err)
	}
	r, w, err = ioStatV2(path)
	if err != nil || r != 4100 || w != 1006 {
		t.Errorf("cgroup v2: got read %d write %d err %v, want 4100 1006", r, w, err)
	}
}

func TestNetDevSkipsLoopback(t *testing.T) {
	path := filepath.Join(t.TempDir(), "dev")
	dev := `Inter-|   Receive                                                |  Transmit
 face |bytes    packets errs drop fifo frame compressed multicast|bytes    packets errs drop fifo colls carrier compressed
    lo:    9999       9    0    0    0     0          0         0     9999       9    0    0    0     0       0          0
  eth0:     290       3    0    0    0     0          0         0       10       1    0    0    0     0       0          0
  eth1:      10       1    0    0    0     0          0         0        5       1    0    0    0     0       0          0
`
	if err := os.WriteFile(path, []byte(dev), 0o644); err != nil {
		t.Fatal(err)
	}
	rx, tx, err := netDev(path)
	if err != nil || rx != 300 || tx != 15 {
		t.Errorf("got rx %d tx %d err %v, want 300 15", rx, tx, err)
	}
}

// A pid whose cgroup does not name the container (the engine is in a VM or
// another namespace, where pids mean other processes) must not be read as
// that container.
func TestOpenCgroupRefusesForeignPid(t *testing.T) {
	_, err := Open(os.Getpid(), "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef")
	if !errors.Is(err, errUnreadable) {
		t.Errorf("got %v, want errUnreadable", err)
	}
	if _, err := Open(0, "x"); !errors.Is(err, errUnreadable) {
		t.Errorf("pid 0: got %v, want errUnreadable", err)
	}
}

func TestReadKeyTakesTheWholeKey(t *testing.T) {
	path := filepath.Join(t.TempDir(), "memory.stat")
	stat := "active_file 1\ninactive_file 22\ntotal_inactive_file 333\n"
	if err := os.WriteFile(path, []byte(stat), 0o644); err != nil {
		t.Fatal(err)
	}
	for key, want := range map[string]uint64{"inactive_file": 22, "total_inactive_file": 333, "active_file": 1, "missing": 0} {
		if got, err := readKey(path, key); err != nil || got != want {
			t.Errorf("readKey(%q): got %d, %v; want %d", key, got, err, want)
		}
	}
}
