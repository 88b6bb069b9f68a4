// Package tui is devstack's terminal UI: the live dashboard of a compose
// stack (services table, resource history, logs, inspect pane, actions).
//
// It owns everything Bubble Tea, Lip Gloss and terminal related. It talks to
// the engine only through the small Backend interface it declares (the
// consumer owns the interface); cmd/devstack adapts *stack.Engine to it.
// It uses the plain domain types of package stack and must never import
// github.com/moby/..., github.com/docker/... or github.com/compose-spec/...
// (layering_test.go enforces it).
//
// Shape: a root model routes messages to child models that are plain structs
// with update, view and setSize; all message types live in messages.go; keys
// in one table (keys.go) that dispatch, help, the ':' palette, the picker,
// the disabled reasons and the README's key block all read; styles in one
// file (styles.go); presentation in pure functions (format.go,
// servicerow.go, columns.go). Update reads the clock once and lays the
// screen out; View only draws.
//
// Wiring (cmd/devstack), one line per method of an adapter holding the
// engine, the load options and the project:
//
//	Reload       stack.Load(ctx, loadOpts)
//	Ps           e.Ps(ctx, project, stack.PsOptions{All: true})
//	Inspect      e.Inspect(ctx, id)
//	Events       e.Events(ctx, project)
//	Stats        e.Stats(ctx, project, stack.StatsOptions{Interval: interval})
//	Logs         e.Logs(ctx, project, stack.LogsOptions{Services: req.Services,
//	             Follow: true, Tail: req.Tail, Since: req.Since})
//	Exec         e.Exec(ctx, id, stack.ExecOptions{Cmd, User, WorkDir, TTY,
//	             Size: stack.TermSize(req.Size), Stdin, Stdout, Stderr, Resize})
//	             with Resize copied from <-chan TermSize into a stack channel
//	             (a goroutine converting each size until req.Resize closes)
//	Stages       stack.Stages(p, svc); ConfiguredTarget: stack.ConfiguredTarget(p, svc)
//	Build        e.Build(ctx, p, stack.BuildOptions{Services: []string{svc},
//	             Target: target, Progress: progress})
//	Recreate     e.Recreate(ctx, p, svc, stack.UpOptions{})
//	Start/Stop/Restart  e.X(ctx, p, stack.LifecycleOptions{Services: []string{svc}})
//	Down         e.Down(ctx, project, p, stack.DownOptions{Volumes: volumes})
//	ImageInfo    i, err := e.ImageInfo(ctx, ref); return tui.ImageInfo(i), err
//
// then tui.LoadConfig(tui.DefaultConfigPath()), cfg.Options(tui.Options{
// ProjectName: name, Project: p}) and tui.Run(ctx, adapter, opts).
package tui
