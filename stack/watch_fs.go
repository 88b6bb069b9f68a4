package stack

import (
	"context"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/fsnotify/fsnotify"
)

// fsChange is a path that changed during a batch. created is set when the
// first event seen for it in the batch created it: such a path that is
// gone again by the flush (an editor's temporary file in an atomic save)
// never existed as far as the containers are concerned.
type fsChange struct {
	path    string
	created bool
}

// treeWatcher watches files and directory trees through fsnotify, which
// watches one directory at a time: it adds every directory under the roots,
// and each new one as it appears, and reports the files already inside a
// new directory (they may have been written before its watch was added).
type treeWatcher struct {
	w     *fsnotify.Watcher
	roots []string
	// skipDir says a directory is ignored as a whole: it is not watched.
	skipDir func(dir string) bool
	// onError receives watch errors (a full kernel queue, a lost watch).
	onError func(error)
}

// newTreeWatcher watches the roots: folders recursively, files through
// their folder. A root that does not exist yet is picked up through its
// nearest existing parent when it appears.
func newTreeWatcher(roots []string, skipDir func(string) bool, onError func(error)) (*treeWatcher, error) {
	w, err := fsnotify.NewWatcher()
	if err != nil {
		return nil, err
	}
	tw := &treeWatcher{w: w, roots: roots, skipDir: skipDir, onError: onError}
	for _, root := range roots {
		if err := tw.addRoot(root); err != nil {
			w.Close()
			return nil, err
		}
	}
	return tw, nil
}

func (tw *treeWatcher) addRoot(root string) error {
	fi, err := os.Stat(root)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		dir := filepath.Dir(root)
		for dir != filepath.Dir(dir) {
			if _, err := os.Stat(dir); err == nil {
				return tw.w.Add(dir)
			}
			dir = filepath.Dir(dir)
		}
		return nil
	case err != nil:
		return err
	case fi.IsDir():
		_, err := tw.addTree(root, nil)
		return err
	default:
		return tw.w.Add(filepath.Dir(root))
	}
}

// addTree watches dir and the folders under it, and returns what it found
// inside when found is not nil.
func (tw *treeWatcher) addTree(dir string, found []string) ([]string, error) {
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			if p != dir && errors.Is(err, fs.ErrNotExist) {
				return nil // removed while walking
			}
			return err
		}
		if d.IsDir() {
			if tw.skipDir(p) {
				return filepath.SkipDir
			}
			if err := tw.w.Add(p); err != nil {
				return err
			}
		}
		if found != nil && p != dir {
			found = append(found, p)
		}
		return nil
	})
	return found, err
}

// inRoots reports whether p is a root or under one.
func (tw *treeWatcher) inRoots(p string) bool {
	for _, r := range tw.roots {
		if p == r || strings.HasPrefix(p, r+string(filepath.Separator)) {
			return true
		}
	}
	return false
}

// run delivers batches of changes on out until ctx ends: a batch is flushed
// after quiet without events, or maxWait after its first event when events
// keep coming. While a batch waits to be taken, further events join it.
func (tw *treeWatcher) run(ctx context.Context, quiet, maxWait time.Duration, out chan<- []fsChange) {
	defer tw.w.Close()
	pending := map[string]bool{} // path → created
	var order []string
	var first time.Time
	timer := time.NewTimer(time.Hour)
	timer.Stop()
	var ready []fsChange
	add := func(p string, created bool) {
		if _, seen := pending[p]; !seen {
			pending[p] = created
			order = append(order, p)
		}
	}
	for {
		var send chan<- []fsChange
		if ready != nil {
			send = out
		}
		select {
		case <-ctx.Done():
			return
		case err, ok := <-tw.w.Errors:
			if ok && err != nil && tw.onError != nil {
				tw.onError(err)
			}
		case ev, ok := <-tw.w.Events:
			if !ok {
				return
			}
			if !tw.event(ev, add) {
				continue
			}
			now := time.Now()
			if first.IsZero() {
				first = now
			}
			timer.Reset(min(quiet, max(0, first.Add(maxWait).Sub(now))))
		case <-timer.C:
			for _, p := range order {
				ready = append(ready, fsChange{path: p, created: pending[p]})
			}
			pending, order, first = map[string]bool{}, nil, time.Time{}
		case send <- ready:
			ready = nil
		}
	}
}

// event turns one fsnotify event into changed paths, watching new folders;
// it reports whether anything changed.
func (tw *treeWatcher) event(ev fsnotify.Event, add func(string, bool)) bool {
	if ev.Op == fsnotify.Chmod {
		return false
	}
	p := filepath.Clean(ev.Name)
	if !ev.Has(fsnotify.Create) {
		if ev.Has(fsnotify.Rename) || ev.Has(fsnotify.Remove) {
			// A folder moved away keeps its inotify watch under the old
			// name; forget it so the new place is watched afresh.
			_ = tw.w.Remove(p)
		}
		if !tw.inRoots(p) {
			return false
		}
		add(p, false)
		return true
	}
	fi, err := os.Lstat(p)
	if err == nil && fi.IsDir() {
		if !tw.inRoots(p) {
			// A parent of a root that did not exist yet.
			for _, r := range tw.roots {
				if strings.HasPrefix(r, p+string(filepath.Separator)) {
					_ = tw.addRoot(r)
				}
			}
			if !tw.inRoots(p) {
				return false
			}
		}
		if tw.skipDir(p) {
			return false
		}
		found, err := tw.addTree(p, []string{})
		if err != nil && tw.onError != nil {
			tw.onError(err)
		}
		add(p, true)
		for _, f := range found {
			add(f, true)
		}
		return true
	}
	if !tw.inRoots(p) {
		return false
	}
	add(p, true)
	return true
}
