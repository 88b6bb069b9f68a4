// Package backendtest is the contract of tui.Backend: one table of cases
// that every implementation runs, the tui's hand-written fake and the real
// stack.Session alike, so the fake cannot promise what the real one does
// not do. Each implementation supplies a Maker that builds a World (one
// stack, one service with one running container) in the state a case asks
// for.
//
// It imports tui (for the interface) and stack (for the types); like tui,
// it never imports engine or compose packages.
package backendtest

import (
	"context"
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/devstack/devstack/stack"
	"github.com/devstack/devstack/tui"
)

// Setup is the state a case starts from.
type Setup struct {
	// Project is set when the compose file is there; otherwise the
	// backend is attached by the stack's name alone (devstack -p NAME in
	// a folder without the file).
	Project bool
}

// World is a backend on a stack with one service and its one running
// container, and the means to change it from outside.
type World struct {
	Backend tui.Backend
	// Service is the service's name; Container its container's ID.
	Service, Container string
	// Volume is the engine's name of the stack's named volume (declared
	// with `name:`, so not <project>_<key>).
	Volume string
	// Remove deletes the container behind the backend's back.
	Remove func(t *testing.T)
	// CutEngine makes the engine unreachable from the backend.
	CutEngine func(t *testing.T)
	// RunOneOff starts a one-off container of Service running `sleep 300`
	// (as `devstack run -d web sleep 300` does) and returns its ID.
	RunOneOff func(t *testing.T) string
}

// Maker builds a fresh World for one case; it registers its own cleanup.
type Maker func(t *testing.T, s Setup) World

// Case is one entry of the contract.
type Case struct {
	Name  string
	Setup Setup
	// Gone removes the container first; EngineDown cuts the engine first.
	Gone, EngineDown bool
	Check            func(ctx context.Context, t *testing.T, w World)
}

// Run runs every case of the contract against the implementation make
// builds, as parallel subtests.
func Run(t *testing.T, make Maker) {
	for _, c := range Cases() {
		t.Run(c.Name, func(t *testing.T) {
			t.Parallel()
			w := make(t, c.Setup)
			if c.Gone {
				w.Remove(t)
			}
			if c.EngineDown {
				w.CutEngine(t)
			}
			ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
			defer cancel()
			c.Check(ctx, t, w)
		})
	}
}

// Cases is the contract. The first is the crash it was written for:
// restart on a stack attached by name, without its compose file.
func Cases() []Case {
	var cases []Case
	for _, p := range []bool{false, true} {
		s := Setup{Project: p}
		suffix := map[bool]string{false: " without a project", true: " with a project"}[p]
		cases = append(cases,
			Case{Name: "restart" + suffix, Setup: s, Check: restartRuns},
			Case{Name: "stop then start" + suffix, Setup: s, Check: stopThenStart},
			Case{Name: "unknown service" + suffix, Setup: s, Check: unknownService},
			Case{Name: "down keeps volumes" + suffix, Setup: s, Check: downKeepsVolumes},
			Case{Name: "down volumes" + suffix, Setup: s, Check: downVolumes},
			Case{Name: "container gone" + suffix, Setup: s, Gone: true, Check: containerGone},
			Case{Name: "engine down" + suffix, Setup: s, EngineDown: true, Check: engineDown},
			Case{Name: "one-off listed, stopped and removed" + suffix, Setup: s, Check: oneOffLifecycle},
		)
	}
	cases = append(cases,
		Case{Name: "recreate, rebuild and stages need the file", Setup: Setup{Project: false}, Check: needFile},
		Case{Name: "recreate with a project", Setup: Setup{Project: true}, Check: recreates},
		Case{Name: "start a removed container with a project", Setup: Setup{Project: true}, Gone: true, Check: startNotCreated},
	)
	return cases
}

func restartRuns(ctx context.Context, t *testing.T, w World) {
	if err := w.Backend.Restart(ctx, w.Service); err != nil {
		t.Fatalf("Restart(%s): %v", w.Service, err)
	}
	wantState(ctx, t, w, stack.StateRunning)
}

func stopThenStart(ctx context.Context, t *testing.T, w World) {
	if err := w.Backend.Stop(ctx, w.Service); err != nil {
		t.Fatalf("Stop(%s): %v", w.Service, err)
	}
	wantState(ctx, t, w, stack.StateExited)
	if err := w.Backend.Start(ctx, w.Service); err != nil {
		t.Fatalf("Start(%s): %v", w.Service, err)
	}
	wantState(ctx, t, w, stack.StateRunning)
}

func unknownService(ctx context.Context, t *testing.T, w World) {
	b := w.Backend
	for name, err := range map[string]error{
		"Start": b.Start(ctx, "nosuch"), "Stop": b.Stop(ctx, "nosuch"), "Restart": b.Restart(ctx, "nosuch"),
	} {
		if !errors.Is(err, stack.ErrUnknownService) {
			t.Errorf("%s(nosuch): got %v, want ErrUnknownService", name, err)
		}
	}
	wantState(ctx, t, w, stack.StateRunning)
}

func downKeepsVolumes(ctx context.Context, t *testing.T, w World) {
	if err := w.Backend.Down(ctx, false); err != nil {
		t.Fatalf("Down(volumes=false): %v", err)
	}
	wantNoContainers(ctx, t, w)
	if names, err := w.Backend.DownVolumes(ctx); err != nil || !slices.Contains(names, w.Volume) {
		t.Errorf("DownVolumes after a down without volumes: got %v, %v; want %s still there", names, err, w.Volume)
	}
}

func downVolumes(ctx context.Context, t *testing.T, w World) {
	names, err := w.Backend.DownVolumes(ctx)
	if err != nil || !slices.Equal(names, []string{w.Volume}) {
		t.Fatalf("DownVolumes: got %v, %v; want [%s] (the engine's name)", names, err, w.Volume)
	}
	if err := w.Backend.Down(ctx, true); err != nil {
		t.Fatalf("Down(volumes=true): %v", err)
	}
	wantNoContainers(ctx, t, w)
	if names, err := w.Backend.DownVolumes(ctx); err != nil || len(names) != 0 {
		t.Errorf("DownVolumes after down -v: got %v, %v; want none", names, err)
	}
}

func containerGone(ctx context.Context, t *testing.T, w World) {
	if _, err := w.Backend.Inspect(ctx, w.Container); !errors.Is(err, stack.ErrNotFound) {
		t.Errorf("Inspect of a removed container: got %v, want ErrNotFound", err)
	}
	if _, err := w.Backend.Exec(ctx, w.Container, stack.ExecOptions{Cmd: []string{"true"}}); !errors.Is(err, stack.ErrNotFound) {
		t.Errorf("Exec in a removed container: got %v, want ErrNotFound", err)
	}
	// Stopping or restarting what is not there is no crash: with the
	// file, there is nothing to do; without it, no container names the
	// service any more.
	for name, err := range map[string]error{"Stop": w.Backend.Stop(ctx, w.Service), "Restart": w.Backend.Restart(ctx, w.Service)} {
		if err != nil && !errors.Is(err, stack.ErrUnknownService) {
			t.Errorf("%s(%s) with its container gone: got %v, want nil or ErrUnknownService", name, w.Service, err)
		}
	}
	for name, err := range map[string]error{
		"StopContainer": w.Backend.StopContainer(ctx, w.Container), "RemoveContainer": w.Backend.RemoveContainer(ctx, w.Container),
	} {
		if !errors.Is(err, stack.ErrNotFound) {
			t.Errorf("%s of a removed container: got %v, want ErrNotFound", name, err)
		}
	}
	wantNoContainers(ctx, t, w)
}

// oneOffLifecycle: a one-off container is listed, marked, beside the
// service's; stopping the service leaves it running; it stops and goes
// away by ID.
func oneOffLifecycle(ctx context.Context, t *testing.T, w World) {
	b := w.Backend
	id := w.RunOneOff(t)
	cs, err := b.Ps(ctx)
	if err != nil {
		t.Fatalf("Ps: %v", err)
	}
	byID := map[string]stack.Container{}
	for _, c := range cs {
		byID[c.ID] = c
	}
	if c, ok := byID[id]; len(cs) != 2 || !ok || !c.OneOff || c.Service != w.Service || c.State != stack.StateRunning || byID[w.Container].OneOff {
		t.Fatalf("Ps with a one-off: got %+v; want the service's container and a running one-off of %s marked OneOff", cs, w.Service)
	}
	listed, err := b.List(ctx)
	if err != nil {
		t.Fatalf("List: %v", err)
	}
	for i, c := range listed {
		if len(listed) != len(cs) || c.ID != cs[i].ID || c.OneOff != cs[i].OneOff || c.State != cs[i].State || !c.Listed {
			t.Fatalf("List with a one-off: got %+v; want Ps's containers in Ps's order, marked Listed", listed)
		}
	}
	if err := b.Stop(ctx, w.Service); err != nil {
		t.Fatalf("Stop(%s): %v", w.Service, err)
	}
	if c, err := b.Inspect(ctx, id); err != nil || c.State != stack.StateRunning || !c.OneOff {
		t.Fatalf("the one-off after stopping its service: got %q (one-off %v), %v; want still running", c.State, c.OneOff, err)
	}
	if err := b.StopContainer(ctx, id); err != nil {
		t.Fatalf("StopContainer(one-off): %v", err)
	}
	if c, err := b.Inspect(ctx, id); err != nil || c.State != stack.StateExited {
		t.Fatalf("the one-off after StopContainer: got %q, %v; want exited", c.State, err)
	}
	if err := b.RemoveContainer(ctx, id); err != nil {
		t.Fatalf("RemoveContainer(one-off): %v", err)
	}
	if _, err := b.Inspect(ctx, id); !errors.Is(err, stack.ErrNotFound) {
		t.Errorf("Inspect of the removed one-off: got %v, want ErrNotFound", err)
	}
	if cs, err := b.Ps(ctx); err != nil || len(cs) != 1 || cs[0].ID != w.Container {
		t.Errorf("Ps after removing the one-off: got %+v, %v; want only the service's container", cs, err)
	}
}

func startNotCreated(ctx context.Context, t *testing.T, w World) {
	if err := w.Backend.Start(ctx, w.Service); !errors.Is(err, stack.ErrNotCreated) {
		t.Errorf("Start(%s) with no container: got %v, want ErrNotCreated", w.Service, err)
	}
}

func needFile(ctx context.Context, t *testing.T, w World) {
	if err := w.Backend.Recreate(ctx, w.Service); !errors.Is(err, stack.ErrNoProject) {
		t.Errorf("Recreate without a project: got %v, want ErrNoProject", err)
	}
	if _, err := w.Backend.Stages(ctx, w.Service); !errors.Is(err, stack.ErrNoProject) {
		t.Errorf("Stages without a project: got %v, want ErrNoProject", err)
	}
	if err := drain(w.Backend.Rebuild(ctx, w.Service, "")); !errors.Is(err, stack.ErrNoProject) {
		t.Errorf("Rebuild without a project: got %v, want ErrNoProject", err)
	}
	if p, err := w.Backend.Reload(ctx); p != nil || err != nil {
		t.Errorf("Reload without a compose file: got %v, %v; want nil, nil", p, err)
	}
	wantState(ctx, t, w, stack.StateRunning)
}

func recreates(ctx context.Context, t *testing.T, w World) {
	if err := w.Backend.Recreate(ctx, w.Service); err != nil {
		t.Fatalf("Recreate(%s): %v", w.Service, err)
	}
	cs, err := w.Backend.Ps(ctx)
	if err != nil || len(cs) != 1 || cs[0].ID == w.Container || cs[0].State != stack.StateRunning || cs[0].Service != w.Service {
		t.Fatalf("Ps after Recreate: got %+v, %v; want one new running container of %s", cs, err, w.Service)
	}
	if _, err := w.Backend.Stages(ctx, w.Service); err == nil || errors.Is(err, stack.ErrNoProject) {
		t.Errorf("Stages of a service without a build section: got %v, want an error saying so", err)
	}
}

// engineDown: every call that needs the engine says it is unreachable;
// the events stream says so too.
func engineDown(ctx context.Context, t *testing.T, w World) {
	b := w.Backend
	_, errPs := b.Ps(ctx)
	_, errList := b.List(ctx)
	_, errInspect := b.Inspect(ctx, w.Container)
	_, errLogs := b.Logs(ctx, stack.LogsOptions{Tail: 10})
	_, errExec := b.Exec(ctx, w.Container, stack.ExecOptions{Cmd: []string{"true"}})
	_, errVolumes := b.DownVolumes(ctx)
	_, errImage := b.ImageInfo(ctx, "local/busybox")
	for name, err := range map[string]error{
		"Ps": errPs, "List": errList, "Inspect": errInspect, "Logs": errLogs, "Exec": errExec, "DownVolumes": errVolumes, "ImageInfo": errImage,
		"Start": b.Start(ctx, w.Service), "Stop": b.Stop(ctx, w.Service), "Restart": b.Restart(ctx, w.Service),
		"Down": b.Down(ctx, false), "StopContainer": b.StopContainer(ctx, w.Container),
		"RemoveContainer": b.RemoveContainer(ctx, w.Container),
	} {
		if !errors.Is(err, stack.ErrEngineUnreachable) {
			t.Errorf("%s with the engine down: got %v, want ErrEngineUnreachable", name, err)
		}
	}
	select {
	case batch := <-b.Events(ctx):
		if len(batch) == 0 || batch[0].Action != stack.EventEngineDown {
			t.Errorf("Events with the engine down: got %+v, want EventEngineDown first", batch)
		}
	case <-time.After(10 * time.Second):
		t.Errorf("Events with the engine down said nothing in 10s")
	}
}

func wantState(ctx context.Context, t *testing.T, w World, want stack.State) {
	t.Helper()
	c, err := w.Backend.Inspect(ctx, w.Container)
	if err != nil || c.State != want {
		t.Fatalf("Inspect(%s): got state %q, %v; want %q", w.Service, c.State, err, want)
	}
}

func wantNoContainers(ctx context.Context, t *testing.T, w World) {
	t.Helper()
	if cs, err := w.Backend.Ps(ctx); err != nil || len(cs) != 0 {
		t.Fatalf("Ps: got %d containers, %v; want none", len(cs), err)
	}
}

// drain reads an operation's progress to its end and returns its outcome.
func drain(op *stack.Op) error {
	for range op.Progress() {
	}
	return op.Wait()
}
