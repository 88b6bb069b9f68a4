package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"golang.org/x/term"

	"github.com/devstack/devstack/stack"
	"github.com/devstack/devstack/tui"
)

// runDashboard attaches the screen to the running stack without changing it.
func runDashboard(ctx context.Context, g *globals) error {
	p, name, e, err := g.open(ctx, false)
	if err != nil {
		return err
	}
	defer e.Close()
	return runScreen(ctx, g, e, p, name)
}

// isTerminal reports whether stdin and stdout are a terminal.
func isTerminal() bool {
	return term.IsTerminal(int(os.Stdin.Fd())) && term.IsTerminal(int(os.Stdout.Fd()))
}

// runScreen opens the TUI on an engine and project (p may be nil).
func runScreen(ctx context.Context, g *globals, e *stack.Engine, p *stack.Project, name string) error {
	if !isTerminal() {
		return fmt.Errorf("the dashboard needs a terminal; use `devstack up -d`, `devstack ps` or `devstack logs -f`")
	}
	path, err := tui.DefaultConfigPath()
	if err != nil {
		return err
	}
	cfg, err := tui.LoadConfig(path)
	if err != nil {
		return err
	}
	opts := cfg.Options(tui.Options{ProjectName: name, Project: p, NoColor: g.noColor, Watch: g.watch})
	return tui.Run(ctx, &backend{g: g, e: e}, opts)
}

// backend implements tui.Backend over a stack.Engine; the TUI never sees
// engine types.
type backend struct {
	g *globals
	e *stack.Engine
}

func (b *backend) Reload(ctx context.Context) (*stack.Project, error) {
	p, err := stack.Load(ctx, b.g.loadOptions(nil))
	if errors.Is(err, stack.ErrNoComposeFile) && b.g.project != "" {
		return nil, nil
	}
	return p, err
}

func (b *backend) Ps(ctx context.Context, project string) ([]stack.Container, error) {
	return b.e.Ps(ctx, project, stack.PsOptions{All: true})
}

func (b *backend) Inspect(ctx context.Context, id string) (stack.Container, error) {
	return b.e.Inspect(ctx, id)
}

func (b *backend) Events(ctx context.Context, project string) <-chan []stack.Event {
	return b.e.Events(ctx, project)
}

func (b *backend) Stats(ctx context.Context, project string, interval time.Duration) <-chan []stack.Stats {
	return b.e.Stats(ctx, project, stack.StatsOptions{Interval: interval})
}

func (b *backend) Logs(ctx context.Context, project string, req tui.LogsRequest) (<-chan []stack.LogLine, error) {
	return b.e.Logs(ctx, project, stack.LogsOptions{Services: req.Services, Follow: true, Tail: req.Tail, Since: req.Since})
}

func (b *backend) Exec(ctx context.Context, id string, req tui.ExecRequest) (int, error) {
	var resize chan stack.TermSize
	if req.Resize != nil {
		resize = make(chan stack.TermSize, 1)
		go func() {
			defer close(resize)
			for s := range req.Resize {
				resize <- stack.TermSize{Rows: s.Rows, Cols: s.Cols}
			}
		}()
	}
	return b.e.Exec(ctx, id, stack.ExecOptions{Cmd: req.Cmd, User: req.User, WorkDir: req.WorkDir, TTY: req.TTY,
		Size: stack.TermSize(req.Size), Stdin: req.Stdin, Stdout: req.Stdout, Stderr: req.Stderr, Resize: resize})
}

func (b *backend) Stages(p *stack.Project, service string) ([]stack.BuildStage, error) {
	return stack.Stages(p, service)
}

func (b *backend) ConfiguredTarget(p *stack.Project, service string) string {
	return stack.ConfiguredTarget(p, service)
}

func (b *backend) Build(ctx context.Context, p *stack.Project, service, target string, progress stack.ProgressFunc) error {
	return b.e.Build(ctx, p, stack.BuildOptions{Services: []string{service}, Target: target, Progress: progress})
}

func (b *backend) Recreate(ctx context.Context, p *stack.Project, service string) error {
	return b.e.Recreate(ctx, p, service, stack.UpOptions{})
}

func (b *backend) Start(ctx context.Context, p *stack.Project, service string) error {
	return b.e.Start(ctx, p, stack.LifecycleOptions{Services: []string{service}})
}

func (b *backend) Stop(ctx context.Context, p *stack.Project, service string) error {
	return b.e.Stop(ctx, p, stack.LifecycleOptions{Services: []string{service}})
}

func (b *backend) Restart(ctx context.Context, p *stack.Project, service string) error {
	return b.e.Restart(ctx, p, stack.LifecycleOptions{Services: []string{service}})
}

func (b *backend) Down(ctx context.Context, project string, p *stack.Project, volumes bool) error {
	return b.e.Down(ctx, project, p, stack.DownOptions{Volumes: volumes})
}

func (b *backend) ImageInfo(ctx context.Context, ref string) (tui.ImageInfo, error) {
	info, err := b.e.ImageInfo(ctx, ref)
	return tui.ImageInfo(info), err
}

// WatchProject reloads the project whenever one of its compose files
// changes on disk, so a file that turns invalid shows on screen at once.
// It polls modification times once a second: a handful of stat calls, far
// cheaper than keeping an inotify watcher per folder.
func (b *backend) WatchProject(ctx context.Context) <-chan tui.ProjectReload {
	out := make(chan tui.ProjectReload)
	go func() {
		defer close(out)
		files := watchedFiles(b.g)
		if p, err := stack.Load(ctx, b.g.loadOptions(nil)); err == nil {
			files = p.ConfigFiles
		}
		last := modTimes(files)
		tick := time.NewTicker(time.Second)
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
			p, err := stack.Load(ctx, b.g.loadOptions(nil))
			if err == nil {
				files = p.ConfigFiles
			}
			select {
			case out <- tui.ProjectReload{Project: p, Err: err}:
			case <-ctx.Done():
				return
			}
		}
	}()
	return out
}

// watchedFiles are the files to watch when the project does not load: the
// -f files, or compose's default names in the project folder.
func watchedFiles(g *globals) []string {
	if len(g.files) > 0 {
		return g.files
	}
	dir := g.projectDir
	if dir == "" {
		dir = "."
	}
	var out []string
	for _, n := range []string{"compose.yaml", "compose.yml", "docker-compose.yml", "docker-compose.yaml"} {
		out = append(out, filepath.Join(dir, n))
	}
	return out
}

// modTimes summarises the files' modification times and sizes as a string.
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
