package main

import (
	"context"

	"github.com/devstack/devstack/stack"
	"github.com/devstack/devstack/tui"
)

// The dashboard's optional disk capability: the header figure and clean.
var _ tui.DiskCleaner = (*backend)(nil)

func (b *backend) StackDisk(ctx context.Context, project string, p *stack.Project) (stack.StackDisk, error) {
	return b.e.StackDisk(ctx, stack.CleanTarget{Name: project, Project: p})
}

func (b *backend) PlanClean(ctx context.Context, project string, p *stack.Project) (stack.CleanPlan, error) {
	return b.e.PlanClean(ctx, stack.CleanTarget{Name: project, Project: p}, stack.CleanOptions{})
}

// ApplyClean never removes named volumes: from the screen they are kept,
// as the confirmation says.
func (b *backend) ApplyClean(ctx context.Context, plan stack.CleanPlan) (stack.CleanResult, error) {
	return b.e.ApplyClean(ctx, plan, stack.ApplyCleanOptions{})
}
