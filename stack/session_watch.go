package stack

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"time"

	"github.com/fsnotify/fsnotify"
)

const (
	// watchSettle lets an editor finish saving (write, rename, chmod come
	// as several events) before the project is loaded again.
	watchSettle = 100 * time.Millisecond
	// watchPollEvery is the fallback where files cannot be watched.
	watchPollEvery = time.Second
)

// ProjectReload is the outcome of loading the compose files again.
type ProjectReload struct {
	Project *Project
	Err     error
}

// WatchProject loads the project again whenever one of its files changes
// on disk: the compose files, the .env and --env-file files and the
// services' env_file files. A file that turns invalid is reported at once
// (Err), and the last good project stays in use. It watches the files'
// folders with the system's notifications (editors replace files by
// renaming, so files are matched by name) and falls back to comparing
// modification times once a second where they cannot be watched. The
// channel closes when ctx ends.
func (s *Session) WatchProject(ctx context.Context) <-chan ProjectReload {
	out := make(chan ProjectReload)
	go func() {
		defer close(out)
		files := s.watchedFiles(s.Project())
		w, err := fsnotify.NewWatcher()
		if err != nil {
			s.pollProject(ctx, files, out)
			return
		}
		defer w.Close()
		if !watchFolders(w, files) {
			s.pollProject(ctx, files, out)
			return
		}
		s.notifyProject(ctx, w, files, out)
	}()
	return out
}

// notifyProject reloads on file notifications until ctx ends.
func (s *Session) notifyProject(ctx context.Context, w *fsnotify.Watcher, files []string, out chan<- ProjectReload) {
	settle := time.NewTimer(time.Hour)
	settle.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case ev, ok := <-w.Events:
			if !ok {
				return
			}
			if slices.Contains(files, filepath.Clean(ev.Name)) {
				settle.Reset(watchSettle)
			}
		case <-w.Errors:
		case <-settle.C:
			r := s.reload(ctx)
			if r.Project != nil {
				files = s.watchedFiles(r.Project)
				watchFolders(w, files)
			}
			select {
			case out <- r:
			case <-ctx.Done():
				return
			}
		}
	}
}

// pollProject reloads when the files' modification times change.
func (s *Session) pollProject(ctx context.Context, files []string, out chan<- ProjectReload) {
	last := modTimes(files)
	tick := time.NewTicker(watchPollEvery)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		}
		now := modTimes(files)
		if now == last {
			continue
		}
		last = now
		r := s.reload(ctx)
		if r.Project != nil {
			files = s.watchedFiles(r.Project)
			last = modTimes(files)
		}
		select {
		case out <- r:
		case <-ctx.Done():
			return
		}
	}
}

func (s *Session) reload(ctx context.Context) ProjectReload {
	p, err := s.Reload(ctx)
	return ProjectReload{Project: p, Err: err}
}

// watchedFiles are the files the project is made of, as absolute paths;
// without a project, the -f files or Compose's default names in the
// project folder (so a compose file that appears is noticed).
func (s *Session) watchedFiles(p *Project) []string {
	dir := s.load.WorkingDir
	var files []string
	if p != nil {
		dir = p.WorkingDir
		files = append(files, p.ConfigFiles...)
		for _, svc := range append(slices.Clone(p.Services), p.Inactive...) {
			for _, env := range svc.Env {
				if env.File != "" {
					files = append(files, env.File)
				}
			}
		}
	} else if len(s.load.Files) > 0 {
		files = append(files, s.load.Files...)
	} else {
		for _, n := range []string{"compose.yaml", "compose.yml", "docker-compose.yml", "docker-compose.yaml"} {
			files = append(files, filepath.Join(dir, n))
		}
	}
	if len(s.load.EnvFiles) > 0 {
		files = append(files, s.load.EnvFiles...)
	} else {
		files = append(files, filepath.Join(dir, ".env"))
	}
	for i, f := range files {
		if !filepath.IsAbs(f) {
			f = filepath.Join(dir, f)
		}
		if abs, err := filepath.Abs(f); err == nil {
			f = abs
		}
		files[i] = filepath.Clean(f)
	}
	slices.Sort(files)
	return slices.Compact(files)
}

// watchFolders watches the folders holding the files; false when one of
// them cannot be watched (the caller then polls).
func watchFolders(w *fsnotify.Watcher, files []string) bool {
	ok := true
	for _, f := range files {
		dir := filepath.Dir(f)
		if slices.Contains(w.WatchList(), dir) {
			continue
		}
		if err := w.Add(dir); err != nil {
			ok = false
		}
	}
	return ok
}

// modTimes summarises the files' modification times and sizes.
func modTimes(files []string) string {
	s := ""
	for _, f := range files {
		if st, err := os.Stat(f); err == nil {
			s += fmt.Sprintf("%s:%d:%d;", f, st.ModTime().UnixNano(), st.Size())
		} else {
			s += f + ":missing;"
		}
	}
	return s
}
