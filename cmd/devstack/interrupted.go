package main

import (
	"context"
	"fmt"
	"io"
	"time"

	"github.com/devstack/devstack/stack"
)

// exitInterrupted is the exit code of a verb stopped by ctrl-c (128+SIGINT),
// as shells report it.
const exitInterrupted = 130

// reportInterrupted replaces the failed-request errors of an up that the
// user interrupted, or that lost its engine (one per service, each with an
// engine URL), by one sentence saying what state the stack was left in and
// how to finish. Any other error is returned as it is.
func reportInterrupted(ctx context.Context, w io.Writer, e *stack.Engine, p *stack.Project, err error) error {
	if err != nil && ctx.Err() == nil && stack.EngineGone(err) {
		fmt.Fprintf(w, "up stopped: the Docker engine at %s stopped answering while up was running; "+
			"nothing was deleted — once `docker info` answers again, run `devstack up -d` to finish\n", e.Host)
		return exitCodeError{1}
	}
	if err == nil || ctx.Err() == nil {
		return err
	}
	look, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
	defer cancel()
	cs, perr := e.Ps(look, p.Name, stack.PsOptions{All: true})
	if perr != nil {
		fmt.Fprintf(w, "up interrupted: the stack may be partly converged (could not list it: %v); nothing was deleted — run `devstack up -d` again to finish\n", perr)
		return exitCodeError{exitInterrupted}
	}
	fmt.Fprintf(w, "up interrupted: %s; nothing was deleted — run `devstack up -d` again to finish\n", interruptedState(p, cs))
	return exitCodeError{exitInterrupted}
}

// interruptedState says how many of the project's services have a running
// container, how many of those still run a previous configuration (an up
// interrupted while pulling or building the new images leaves every old
// container running, which must not read as done), and how many containers
// are not running yet.
func interruptedState(p *stack.Project, cs []stack.Container) string {
	hash := map[string]string{}
	for _, s := range p.Services {
		hash[s.Name] = s.Hash
	}
	running := map[string]bool{}
	current := map[string]bool{}
	stopped := 0
	for _, c := range cs {
		if !c.Running() {
			stopped++
			continue
		}
		if _, ok := hash[c.Service]; !ok {
			continue
		}
		running[c.Service] = true
		if c.ConfigHash == hash[c.Service] {
			current[c.Service] = true
		}
	}
	previous := 0
	for svc := range running {
		if !current[svc] {
			previous++
		}
	}
	state := fmt.Sprintf("%d of %d services running", len(running), len(p.Services))
	if previous > 0 {
		state += fmt.Sprintf(" (%d still on their previous configuration)", previous)
	}
	return fmt.Sprintf("%s, %d containers stopped or not started yet", state, stopped)
}
