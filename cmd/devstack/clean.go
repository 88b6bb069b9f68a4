package main

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/devstack/devstack/stack"
)

type cleanFlags struct {
	yes         bool
	dryRun      bool
	volumes     bool
	allProjects bool
	buildCache  bool
}

func newCleanCmd(g *globals) *cobra.Command {
	var f cleanFlags
	cmd := &cobra.Command{
		Use:   "clean [flags]",
		Short: "Show what the stack left behind on the engine and the disk it takes, then remove it",
		Long: "clean lists what the stack has left behind — stopped one-off containers, anonymous volumes\n" +
			"no container uses, dangling images from its rebuilds, images of services no longer in the\n" +
			"file, networks no longer in the file, and its named volumes — with the disk each takes,\n" +
			"then removes them once you confirm. Named volumes are removed only with --volumes and a\n" +
			"second confirmation that names them.",
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			ctx := cmd.Context()
			p, name, err := g.loadOrName(ctx)
			if err != nil && !(f.allProjects && errors.Is(err, stack.ErrNoComposeFile)) {
				return err
			}
			e, err := g.connect(ctx)
			if err != nil {
				return err
			}
			defer e.Close()
			plan, err := e.PlanClean(ctx, stack.CleanTarget{Name: name, Project: p}, stack.CleanOptions{AllProjects: f.allProjects})
			if err != nil {
				return err
			}
			printCleanPlan(g.stdout, plan, f)
			opts, ok := confirmClean(bufio.NewReader(cmd.InOrStdin()), g.stdout, plan, f)
			if !ok {
				return nil
			}
			res, err := e.ApplyClean(ctx, plan, opts)
			fmt.Fprintf(g.stdout, "Removed %d items, reclaimed %s.\n", len(res.Removed), humanSize(res.Reclaimed))
			return err
		},
	}
	fl := cmd.Flags()
	fl.BoolVarP(&f.yes, "yes", "y", false, "remove without asking (named volumes still need their own confirmation)")
	fl.BoolVar(&f.dryRun, "dry-run", false, "only list what would be removed")
	fl.BoolVar(&f.volumes, "volumes", false, "also remove the named volumes listed, after a second confirmation naming them")
	fl.BoolVar(&f.allProjects, "all-projects", false, "clean every compose project on the engine")
	fl.BoolVar(&f.buildCache, "build-cache", false, "also prune the engine's unused build cache (every project's: it carries no project label)")
	return cmd
}

// confirmClean asks what may go and returns the options to remove it
// with; ok is false when nothing is to be removed. The named volumes get a
// question of their own, which -y does not answer.
func confirmClean(in *bufio.Reader, out io.Writer, plan stack.CleanPlan, f cleanFlags) (stack.ApplyCleanOptions, bool) {
	opts := stack.ApplyCleanOptions{BuildCache: f.buildCache}
	if f.dryRun {
		return opts, false
	}
	removable, named := 0, []string{}
	for _, it := range plan.Items {
		if it.Kind == stack.LeftoverNamedVolume {
			named = append(named, it.Name)
		} else {
			removable++
		}
	}
	if removable > 0 || f.buildCache {
		question := fmt.Sprintf("Remove the %d items above (%s)?", removable, humanSize(plan.Reclaimable(false)))
		if f.buildCache {
			question = fmt.Sprintf("Remove the %d items above (%s) and the engine's unused build cache (%s)?",
				removable, humanSize(plan.Reclaimable(false)), humanSize(plan.BuildCache.Reclaimable))
		}
		if !f.yes && !ask(in, out, question) {
			fmt.Fprintln(out, "Nothing removed.")
			return opts, false
		}
	}
	if f.volumes && len(named) > 0 {
		opts.Volumes = ask(in, out, fmt.Sprintf("Also remove the named volumes %s and all the data in them? This cannot be undone.",
			strings.Join(named, ", ")))
		if !opts.Volumes {
			fmt.Fprintln(out, "Named volumes kept.")
		}
	}
	if removable == 0 && !f.buildCache && !opts.Volumes {
		fmt.Fprintln(out, "Nothing to remove.")
		return opts, false
	}
	return opts, true
}

// ask prints a yes/no question and reads the answer; anything but y or
// yes (and the end of input) is no.
func ask(in *bufio.Reader, out io.Writer, question string) bool {
	fmt.Fprintf(out, "%s [y/N] ", question)
	line, err := in.ReadString('\n')
	if err != nil && line == "" {
		fmt.Fprintln(out)
		return false
	}
	answer := strings.ToLower(strings.TrimSpace(line))
	return answer == "y" || answer == "yes"
}

func printCleanPlan(w io.Writer, plan stack.CleanPlan, f cleanFlags) {
	if len(plan.Items) == 0 {
		fmt.Fprintf(w, "%s: nothing left behind.\n", strings.Join(plan.Projects, ", "))
	} else {
		tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "PROJECT\tKIND\tNAME\tSIZE\tWHY")
		for _, it := range plan.Items {
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", it.Project, it.Kind, it.Name, sizeText(it.Size), it.Why)
		}
		tw.Flush()
		fmt.Fprintf(w, "Reclaimable: %s", humanSize(plan.Reclaimable(false)))
		if named := plan.Reclaimable(true) - plan.Reclaimable(false); named > 0 || hasNamedVolumes(plan) {
			fmt.Fprintf(w, ", plus %s in named volumes (removed only with --volumes)", humanSize(named))
		}
		fmt.Fprintln(w)
	}
	for _, n := range plan.Notes {
		fmt.Fprintln(w, "note:", n)
	}
	bc := plan.BuildCache
	fmt.Fprintf(w, "Not attributable to a project:\n  build cache: %d records, %s (%s unused); the engine keeps no project label on build cache, so clean leaves it alone unless --build-cache prunes every project's unused cache\n",
		bc.Records, humanSize(bc.Size), humanSize(bc.Reclaimable))
	if plan.OrphanVolumes > 0 {
		fmt.Fprintf(w, "  %d unused anonymous volumes, %s: the engine records no owner once their container is gone; `docker volume ls -f dangling=true` lists them\n",
			plan.OrphanVolumes, humanSize(plan.OrphanVolumeSize))
	}
	if f.dryRun {
		fmt.Fprintln(w, "Dry run: nothing removed.")
	}
}

func hasNamedVolumes(plan stack.CleanPlan) bool {
	for _, it := range plan.Items {
		if it.Kind == stack.LeftoverNamedVolume {
			return true
		}
	}
	return false
}

// sizeText is a size, or "-" when the engine measured none.
func sizeText(n int64) string {
	if n < 0 {
		return "-"
	}
	return humanSize(n)
}
