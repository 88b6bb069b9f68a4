package stack

import (
	"strings"
	"testing"
)

// TestPrepareCopy checks docker cp's path rules: into an existing folder,
// renamed onto a new path or an existing file, contents with "/.".
func TestPrepareCopy(t *testing.T) {
	cases := []struct {
		name          string
		src, dst      copyInfo
		dir, top, err string
	}{
		{"file into folder", copyInfo{path: "/h/a"}, copyInfo{path: "/c/d", exists: true, isDir: true}, "/c/d", "a", ""},
		{"file to new path", copyInfo{path: "/h/a"}, copyInfo{path: "/c/b"}, "/c", "b", ""},
		{"file onto file", copyInfo{path: "/h/a"}, copyInfo{path: "/c/b", exists: true}, "/c", "b", ""},
		{"folder to new path", copyInfo{path: "/h/a", isDir: true}, copyInfo{path: "/c/b"}, "/c", "b", ""},
		{"contents to new path", copyInfo{path: "/h/a/.", isDir: true}, copyInfo{path: "/c/b"}, "/c", "b", ""},
		{"contents into folder", copyInfo{path: "/h/a/.", isDir: true}, copyInfo{path: "/c/d", exists: true, isDir: true}, "/c/d", ".", ""},
		{"followed link keeps its name", copyInfo{path: "/h/target", rebaseName: "link"}, copyInfo{path: "/c/d", exists: true, isDir: true}, "/c/d", "link", ""},
		{"followed link renamed", copyInfo{path: "/h/target", rebaseName: "link"}, copyInfo{path: "/c/b"}, "/c", "b", ""},
		{"folder onto file", copyInfo{path: "/h/a", isDir: true}, copyInfo{path: "/c/b", exists: true}, "", "", "cannot copy the folder"},
		{"file to missing folder", copyInfo{path: "/h/a"}, copyInfo{path: "/c/nope/"}, "", "", "does not exist"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			dir, rename, err := prepareCopy(c.src, c.dst)
			if c.err != "" {
				if err == nil || !strings.Contains(err.Error(), c.err) {
					t.Errorf("got error %v, want one saying %q", err, c.err)
				}
				return
			}
			_, base := splitPathDirEntry(c.src.path)
			top := base
			if c.src.rebaseName != "" {
				top = c.src.rebaseName
			}
			if rename != nil {
				top = rename(top)
			}
			if err != nil || dir != c.dir || top != c.top {
				t.Errorf("got folder %q, top entry %q, err %v; want %q, %q", dir, top, err, c.dir, c.top)
			}
		})
	}
}
