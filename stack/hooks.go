package stack

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"strings"

	"github.com/compose-spec/compose-go/v2/types"
	cerrdefs "github.com/containerd/errdefs"
	"github.com/moby/moby/api/pkg/stdcopy"
	"github.com/moby/moby/api/types/container"
	"github.com/moby/moby/client"
)

// hookTailLines bounds the output a failing hook's error carries, as
// Compose keeps the last 10 lines.
const hookTailLines = 10

// hookTarget is the container a hook runs in.
type hookTarget struct {
	id, name, service string
	tty               bool
}

// runHooks runs a service's hooks (post_start or pre_stop) one after the
// other in a container, as Compose does: each is an exec with the hook's
// user, privileges, working folder and environment; its output goes to
// progress as output lines of the service; a non-zero exit stops the
// sequence with an error carrying the hook's last output lines (stderr
// preferred, as in Compose).
func (e *Engine) runHooks(ctx context.Context, t hookTarget, kind string, hooks []types.ServiceHook, progress ProgressFunc) error {
	for _, h := range hooks {
		_, err := e.runHook(ctx, t, h, func(line string) {
			progress.report(Progress{Kind: ProgressOutput, Service: t.service, Subject: t.name, Text: kind + ": " + line})
		})
		if err != nil {
			return fmt.Errorf("%s hook of %s in %s: %w", kind, t.service, t.name, err)
		}
	}
	return nil
}

// runHook runs one hook and returns its last output lines; a non-zero exit
// is an error naming the status and those lines.
func (e *Engine) runHook(ctx context.Context, t hookTarget, h types.ServiceHook, line func(string)) ([]string, error) {
	created, err := e.api.ExecCreate(ctx, t.id, client.ExecCreateOptions{
		User: h.User, Privileged: h.Privileged, Env: engineEnv(h.Environment), WorkingDir: h.WorkingDir,
		Cmd: h.Command, AttachStdout: true, AttachStderr: true, TTY: t.tty,
	})
	if err != nil {
		return nil, fmt.Errorf("create exec: %w", err)
	}
	att, err := e.api.ExecAttach(ctx, created.ID, client.ExecAttachOptions{TTY: t.tty})
	if err != nil {
		return nil, fmt.Errorf("attach exec: %w", err)
	}
	defer att.Close()
	stop := context.AfterFunc(ctx, att.Close)
	defer stop()
	stdout, stderr := &lineTail{line: line}, &lineTail{line: line}
	if t.tty {
		_, err = io.Copy(stdout, att.Reader)
	} else {
		_, err = stdcopy.StdCopy(stdout, stderr, att.Reader)
	}
	stdout.flush()
	stderr.flush()
	if ctx.Err() != nil {
		return nil, ctx.Err()
	}
	if err != nil {
		return nil, fmt.Errorf("read output: %w", err)
	}
	code, err := e.execExitCode(ctx, created.ID)
	if err != nil {
		return nil, err
	}
	all := append(append([]string{}, stdout.lines...), stderr.lines...)
	if code != 0 {
		shown := stderr.lines
		if len(shown) == 0 {
			shown = stdout.lines
		}
		if len(shown) == 0 {
			return all, fmt.Errorf("exited with status %d", code)
		}
		return all, fmt.Errorf("exited with status %d: %s", code, strings.Join(shown, "\n"))
	}
	return all, nil
}

// lineTail splits output into lines, hands each to line and keeps the
// last few.
type lineTail struct {
	partial []byte
	lines   []string
	line    func(string)
}

func (l *lineTail) Write(p []byte) (int, error) {
	l.partial = append(l.partial, p...)
	for {
		i := bytes.IndexByte(l.partial, '\n')
		if i < 0 {
			break
		}
		l.push(string(l.partial[:i]))
		l.partial = l.partial[i+1:]
	}
	if len(l.partial) > 4096 {
		// A line without an end is cut rather than held without bound.
		l.push(string(l.partial))
		l.partial = nil
	}
	return len(p), nil
}

func (l *lineTail) flush() {
	if len(l.partial) > 0 {
		l.push(string(l.partial))
		l.partial = nil
	}
}

func (l *lineTail) push(s string) {
	s = strings.TrimRight(s, "\r")
	if i := strings.LastIndexByte(s, '\r'); i >= 0 {
		s = s[i+1:] // progress bars: keep what is visible
	}
	if strings.TrimSpace(s) == "" {
		return
	}
	if l.line != nil {
		l.line(s)
	}
	l.lines = append(l.lines, s)
	if len(l.lines) > hookTailLines {
		l.lines = l.lines[len(l.lines)-hookTailLines:]
	}
}

// preStop runs a service's pre_stop hooks in a running container before it
// is stopped, as Compose does on stop, down, restart and replacement. A
// container that went away meanwhile is not an error (Compose ignores
// not-found and conflict there too).
func (e *Engine) preStop(ctx context.Context, o observed, sc *types.ServiceConfig, progress ProgressFunc) error {
	if sc == nil || len(sc.PreStop) == 0 || !isActive(o.State) {
		return nil
	}
	err := e.runHooks(ctx, hookTarget{id: o.ID, name: o.Name, service: sc.Name, tty: sc.Tty}, "pre_stop", sc.PreStop, progress)
	if cerrdefs.IsNotFound(err) || cerrdefs.IsConflict(err) {
		return nil
	}
	return err
}

// postStart runs a service's post_start hooks once its container started.
func (e *Engine) postStart(ctx context.Context, c observed, sc types.ServiceConfig, progress ProgressFunc) error {
	if len(sc.PostStart) == 0 {
		return nil
	}
	return e.runHooks(ctx, hookTarget{id: c.ID, name: c.Name, service: sc.Name, tty: sc.Tty}, "post_start", sc.PostStart, progress)
}

func isActive(s container.ContainerState) bool {
	return s == container.StateRunning || s == container.StateRestarting || s == container.StatePaused
}

// serviceConfig is the project's config of a service, nil when the
// project or the service is unknown (down from labels alone).
func serviceConfig(p *Project, service string) *types.ServiceConfig {
	if p == nil || p.model == nil || p.model.project == nil {
		return nil
	}
	sc, ok := p.model.project.Services[service]
	if !ok {
		return nil
	}
	return &sc
}
