package main

import (
	"context"

	"github.com/devstack/devstack/stack"
	"github.com/devstack/devstack/tui"
)

// screenBackend is the dashboard's backend: the stack.Session, plus the
// optional disk capability (the header figure and clean).
type screenBackend struct {
	*stack.Session
	e *stack.Engine
}

var _ tui.DiskCleaner = (*screenBackend)(nil)

// StackDisk implements tui.DiskCleaner.
func (b *screenBackend) StackDisk(ctx context.Context, project string, p *stack.Project) (stack.StackDisk, error) {
	return b.e.StackDisk(ctx, stack.CleanTarget{Name: project, Project: p})
}

// PlanClean implements tui.DiskCleaner.
func (b *screenBackend) PlanClean(ctx context.Context, project string, p *stack.Project) (stack.CleanPlan, error) {
	return b.e.PlanClean(ctx, stack.CleanTarget{Name: project, Project: p}, stack.CleanOptions{})
}

// ApplyClean never removes named volumes: from the screen they are kept,
// as the confirmation says.
func (b *screenBackend) ApplyClean(ctx context.Context, plan stack.CleanPlan) (stack.CleanResult, error) {
	return b.e.ApplyClean(ctx, plan, stack.ApplyCleanOptions{})
}
