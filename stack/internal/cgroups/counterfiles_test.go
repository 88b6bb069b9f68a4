package cgroups

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
	"time"
)

// TestCounterFileRereads: a kept-open kernel file read again shows the
// new values (here the process's own CPU time in /proc/self/stat grows
// while it spins), and a file that went away is dropped with its error.
func TestCounterFileRereads(t *testing.T) {
	first, err := readCounterFile("/proc/self/stat")
	if err != nil {
		t.Fatal(err)
	}
	var again []byte
	for end := time.Now().Add(2 * time.Second); time.Now().Before(end); {
		for i := 0; i < 1e6; i++ {
			_ = i * i
		}
		if again, err = readCounterFile("/proc/self/stat"); err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(first, again) {
			break
		}
	}
	if bytes.Equal(first, again) {
		t.Fatalf("reading the kept-open file again gave the same content after 2s of spinning: %s", again)
	}

	path := filepath.Join(t.TempDir(), "gone")
	if err := os.WriteFile(path, []byte("1\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if b, err := readCounterFile(path); err != nil || string(b) != "1\n" {
		t.Fatalf("got %q, %v", b, err)
	}
	os.Remove(path)
	// A regular file stays readable through its descriptor; what matters
	// is that removal of a cgroup (ENODEV on read) falls back to opening
	// by path, which then fails.
	counterFiles.mu.Lock()
	cf := counterFiles.files[path]
	cf.f.Close()
	counterFiles.mu.Unlock()
	if _, err := readCounterFile(path); err == nil {
		t.Errorf("a file that is gone read without error")
	}
	counterFiles.mu.Lock()
	_, kept := counterFiles.files[path]
	counterFiles.mu.Unlock()
	if kept {
		t.Errorf("a file that failed to read stayed in the cache")
	}
}
