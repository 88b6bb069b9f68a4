package stack

import (
	"archive/tar"
	"bytes"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"strings"

	"github.com/moby/patternmatcher"
	"github.com/moby/patternmatcher/ignorefile"
)

// contextArchive is a build context on its way to the engine: a tar stream
// and the Dockerfile's name inside it.
type contextArchive struct {
	io.ReadCloser
	Dockerfile string
}

// archiveBuildContext streams dir as a tar for the engine's /build API,
// leaving out what .dockerignore excludes, the way the docker CLI does:
// files are owned by root, the Dockerfile and .dockerignore are always sent
// (the engine reads them, and drops them from the context when they are
// ignored). A Dockerfile outside dir, or an inline one (path ""), is added
// under a generated name that .dockerignore then hides from COPY.
func archiveBuildContext(dir string, df dockerfileSource) (*contextArchive, error) {
	// A context reached through a symlink is archived from its target, as
	// the docker CLI does (a walk does not enter a symlinked root).
	dir, err := filepath.EvalSymlinks(dir)
	if err != nil {
		return nil, fmt.Errorf("read build context: %w", err)
	}
	if df.path != "" {
		if df.path, err = filepath.EvalSymlinks(df.path); err != nil {
			return nil, fmt.Errorf("read dockerfile: %w", err)
		}
	}
	ignore, err := readDockerignore(dir)
	if err != nil {
		return nil, err
	}
	a := &contextArchive{}
	var extra []byte
	rel, inside := dockerfileInContext(dir, df.path)
	if inside {
		a.Dockerfile = rel
	} else {
		a.Dockerfile = ".dockerfile." + contextRandomName(6)
		extra = df.content
		ignore.content = append(ignore.content, []byte("\n"+a.Dockerfile+"\n")...)
	}
	patterns := append(ignore.patterns, "!"+a.Dockerfile, "!.dockerignore")
	pm, err := patternmatcher.New(patterns)
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", filepath.Join(dir, ".dockerignore"), err)
	}
	pr, pw := io.Pipe()
	go func() {
		tw := tar.NewWriter(pw)
		err := writeContext(tw, dir, pm)
		if err == nil && extra != nil {
			err = writeContextFile(tw, a.Dockerfile, extra)
		}
		if err == nil && (ignore.exists || extra != nil) {
			err = writeContextFile(tw, ".dockerignore", ignore.content)
		}
		if err == nil {
			err = tw.Close()
		}
		pw.CloseWithError(err)
	}()
	a.ReadCloser = pr
	return a, nil
}

type dockerignore struct {
	patterns []string
	content  []byte
	exists   bool
}

func readDockerignore(dir string) (dockerignore, error) {
	name := filepath.Join(dir, ".dockerignore")
	content, err := os.ReadFile(name)
	if errors.Is(err, fs.ErrNotExist) {
		return dockerignore{}, nil
	}
	if err != nil {
		return dockerignore{}, fmt.Errorf("read %s: %w", name, err)
	}
	patterns, err := ignorefile.ReadAll(bytes.NewReader(content))
	if err != nil {
		return dockerignore{}, fmt.Errorf("read %s: %w", name, err)
	}
	return dockerignore{patterns: patterns, content: content, exists: true}, nil
}

// dockerfileInContext gives the slash path of the Dockerfile inside dir, or
// false when it is outside dir or inline.
func dockerfileInContext(dir, file string) (string, bool) {
	if file == "" {
		return "", false
	}
	rel, err := filepath.Rel(dir, file)
	if err != nil || rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
		return "", false
	}
	return filepath.ToSlash(rel), true
}

// writeContext walks dir and writes every file the patterns do not exclude.
// The .dockerignore itself is written by the caller, possibly amended.
func writeContext(tw *tar.Writer, dir string, pm *patternmatcher.PatternMatcher) error {
	return filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return fmt.Errorf("read build context: %w", err)
		}
		rel, err := filepath.Rel(dir, p)
		if err != nil || rel == "." {
			return err
		}
		name := filepath.ToSlash(rel)
		if name == ".dockerignore" {
			return nil
		}
		excluded, err := pm.MatchesOrParentMatches(name)
		if err != nil {
			return fmt.Errorf("match %s against .dockerignore: %w", name, err)
		}
		if excluded {
			// An excluded folder is still walked when a "!" pattern may
			// bring back something inside it.
			if d.IsDir() && !pm.Exclusions() {
				return filepath.SkipDir
			}
			return nil
		}
		return writeContextEntry(tw, p, name, d)
	})
}

// writeContextEntry writes one file, folder or symlink owned by root; other
// kinds (sockets, pipes, devices) cannot be part of an image and are left out.
func writeContextEntry(tw *tar.Writer, p, name string, d fs.DirEntry) error {
	info, err := d.Info()
	if err != nil {
		return fmt.Errorf("read build context: %w", err)
	}
	link := ""
	switch {
	case info.Mode().IsRegular(), info.IsDir():
	case info.Mode()&fs.ModeSymlink != 0:
		if link, err = os.Readlink(p); err != nil {
			return fmt.Errorf("read build context: %w", err)
		}
	default:
		return nil
	}
	hdr, err := tar.FileInfoHeader(info, link)
	if err != nil {
		return fmt.Errorf("read build context: %s: %w", name, err)
	}
	hdr.Name = name
	if info.IsDir() {
		hdr.Name += "/"
	}
	hdr.Uid, hdr.Gid, hdr.Uname, hdr.Gname = 0, 0, "", ""
	if err := tw.WriteHeader(hdr); err != nil {
		return err
	}
	if !info.Mode().IsRegular() {
		return nil
	}
	f, err := os.Open(p)
	if err != nil {
		return fmt.Errorf("read build context: %w", err)
	}
	defer f.Close()
	if _, err := io.Copy(tw, f); err != nil {
		return fmt.Errorf("read build context: %s: %w", name, err)
	}
	return nil
}

func writeContextFile(tw *tar.Writer, name string, content []byte) error {
	hdr := &tar.Header{Name: path.Clean(name), Mode: 0o644, Size: int64(len(content)), Typeflag: tar.TypeReg}
	if err := tw.WriteHeader(hdr); err != nil {
		return err
	}
	_, err := tw.Write(content)
	return err
}

func contextRandomName(n int) string {
	b := make([]byte, n)
	rand.Read(b)
	return hex.EncodeToString(b)
}
