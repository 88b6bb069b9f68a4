package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/signal"
	"runtime/pprof"
	"syscall"
)

// Stamped by goreleaser (-X main.version=... -X main.commit=... -X main.date=...).
var (
	version = "dev"
	commit  = "none"
	date    = "unknown"
)

func main() {
	os.Exit(run(os.Args[1:]))
}

// run executes the command line and returns the process exit code, so
// deferred clean-ups run before main exits.
func run(args []string) int {
	if path := os.Getenv("DEVSTACK_CPUPROFILE"); path != "" {
		stopProfile, err := startCPUProfile(path)
		if err != nil {
			fmt.Fprintln(os.Stderr, "devstack:", err)
			return 1
		}
		defer stopProfile()
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	root := newRootCmd()
	root.SetArgs(args)
	err := root.ExecuteContext(ctx)
	if err == nil {
		return 0
	}
	var ec exitCodeError
	if errors.As(err, &ec) {
		return ec.code
	}
	if ctx.Err() != nil {
		// Whatever failed, it failed because ctrl-c cancelled it (a
		// request to the engine reads "interrupt signal received"), which
		// must not read as an unreachable engine or a broken file.
		fmt.Fprintln(os.Stderr, "devstack: interrupted before it finished; nothing was deleted")
		return exitInterrupted
	}
	fmt.Fprintln(os.Stderr, "devstack:", err)
	return 1
}

// exitCodeError carries a child's exit code (exec) through cobra without
// printing anything more.
type exitCodeError struct{ code int }

func (e exitCodeError) Error() string { return fmt.Sprintf("exit status %d", e.code) }

// startCPUProfile writes a CPU profile of the whole run to path (set
// DEVSTACK_CPUPROFILE), for `go tool pprof`: how the performance budgets
// are investigated on a real terminal and engine.
func startCPUProfile(path string) (func(), error) {
	f, err := os.Create(path)
	if err != nil {
		return nil, fmt.Errorf("cpu profile: %w", err)
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		f.Close()
		return nil, fmt.Errorf("cpu profile: %w", err)
	}
	return func() {
		pprof.StopCPUProfile()
		f.Close()
	}, nil
}
