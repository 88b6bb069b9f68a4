package stack

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestCreatableFolder(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "afile")
	if err := os.WriteFile(file, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		path, wantErr string
	}{
		{dir, ""},
		{file, ""}, // a file can be bind-mounted
		{filepath.Join(dir, "new", "deeper"), ""},
		{filepath.Join(file, "sub"), "afile is a file, not a folder"},
		{filepath.Join(file, "sub", "deeper"), "afile is a file, not a folder"},
	} {
		err := creatableFolder(tc.path)
		if tc.wantErr == "" && err != nil || tc.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tc.wantErr)) {
			t.Errorf("creatableFolder(%s): got %v, want %q", tc.path, err, tc.wantErr)
		}
	}
}
