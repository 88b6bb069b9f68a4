package main

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"github.com/devstack/devstack/stack"
)

type dfFlags struct {
	verbose bool
	format  string
}

func newDfCmd(g *globals) *cobra.Command {
	var f dfFlags
	cmd := &cobra.Command{
		Use:   "df [flags]",
		Short: "Show the disk each compose project uses (images, containers, volumes)",
		Long: "df shows the disk each compose project on the engine uses, grouped by project, the way\n" +
			"`docker system df -v` lists images, containers and volumes (with -p, only that project).\n" +
			"An image other projects also use is listed but not counted in a project's total.",
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if f.format != "table" && f.format != "json" {
				return fmt.Errorf("df --format %q: want table or json", f.format)
			}
			ctx := cmd.Context()
			e, err := g.connect(ctx)
			if err != nil {
				return err
			}
			defer e.Close()
			var opts stack.DiskOptions
			if g.project != "" {
				opts.Projects = []string{g.project}
			}
			rep, err := e.DiskUsage(ctx, opts)
			if err != nil {
				return err
			}
			if f.format == "json" {
				enc := json.NewEncoder(g.stdout)
				enc.SetIndent("", "  ")
				return enc.Encode(rep)
			}
			if f.verbose {
				printDfVerbose(g.stdout, rep, time.Now())
			} else {
				printDfSummary(g.stdout, rep)
			}
			return nil
		},
	}
	fl := cmd.Flags()
	fl.BoolVarP(&f.verbose, "verbose", "v", false, "list every image, container and volume of each project")
	fl.StringVar(&f.format, "format", "table", "table or json")
	return cmd
}

func printDfSummary(w io.Writer, rep stack.DiskReport) {
	tw := tabwriter.NewWriter(w, 0, 4, 3, ' ', 0)
	fmt.Fprintln(tw, "PROJECT\tIMAGES\tCONTAINERS\tVOLUMES\tTOTAL")
	for _, p := range rep.Projects {
		var images, containers, volumes int64
		for _, im := range p.Images {
			if !im.Shared {
				images += im.UniqueSize
			}
		}
		for _, c := range p.Containers {
			containers += c.Size
		}
		for _, v := range p.Volumes {
			volumes += max(v.Size, 0)
		}
		fmt.Fprintf(tw, "%s\t%s (%d)\t%s (%d)\t%s (%d)\t%s\n", p.Name, humanSize(images), len(p.Images),
			humanSize(containers), len(p.Containers), humanSize(volumes), len(p.Volumes), humanSize(p.Total))
	}
	tw.Flush()
	printBuildCache(w, rep.BuildCache)
}

func printBuildCache(w io.Writer, bc stack.BuildCacheUsage) {
	fmt.Fprintf(w, "Build cache (every project's; the engine keeps no project label on it): %d records, %s, %s unused\n",
		bc.Records, humanSize(bc.Size), humanSize(bc.Reclaimable))
}

// printDfVerbose prints each project's sections the way `docker system
// df -v` prints the engine's.
func printDfVerbose(w io.Writer, rep stack.DiskReport, now time.Time) {
	for i, p := range rep.Projects {
		if i > 0 {
			fmt.Fprintln(w)
		}
		fmt.Fprintf(w, "Project %s: %s\n\nImages space usage:\n\n", p.Name, humanSize(p.Total))
		tw := tabwriter.NewWriter(w, 0, 4, 3, ' ', 0)
		fmt.Fprintln(tw, "REPOSITORY\tTAG\tIMAGE ID\tCREATED\tSIZE\tSHARED SIZE\tUNIQUE SIZE\tCONTAINERS")
		for _, im := range p.Images {
			repo, tag := "<none>", "<none>"
			if len(im.Tags) > 0 {
				i := strings.LastIndex(im.Tags[0], ":")
				repo, tag = im.Tags[0][:i], im.Tags[0][i+1:]
			}
			unique := humanSize(im.UniqueSize)
			if im.Shared {
				unique += " (shared)"
			}
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\t%d\n", repo, tag, shortImageID(im.ID), ago(now.Sub(im.Created)),
				humanSize(im.Size), humanSize(max(im.SharedSize, 0)), unique, im.Containers)
		}
		tw.Flush()
		fmt.Fprint(w, "\nContainers space usage:\n\n")
		tw = tabwriter.NewWriter(w, 0, 4, 3, ' ', 0)
		fmt.Fprintln(tw, "CONTAINER ID\tIMAGE\tCOMMAND\tLOCAL VOLUMES\tSIZE\tCREATED\tSTATUS\tNAMES")
		for _, c := range p.Containers {
			fmt.Fprintf(tw, "%s\t%s\t%q\t%d\t%s\t%s\t%s\t%s\n", shortImageID(c.ID), c.Image, c.Command, c.LocalVolumes,
				humanSize(c.Size), ago(now.Sub(c.Created)), c.Status, c.Name)
		}
		tw.Flush()
		fmt.Fprint(w, "\nLocal Volumes space usage:\n\n")
		tw = tabwriter.NewWriter(w, 0, 4, 3, ' ', 0)
		fmt.Fprintln(tw, "VOLUME NAME\tLINKS\tSIZE")
		for _, v := range p.Volumes {
			fmt.Fprintf(tw, "%s\t%d\t%s\n", v.Name, v.Links, sizeText(v.Size))
		}
		tw.Flush()
	}
	fmt.Fprintln(w)
	printBuildCache(w, rep.BuildCache)
}

// shortImageID is an ID as docker prints it: 12 hex digits.
func shortImageID(id string) string {
	id = strings.TrimPrefix(id, "sha256:")
	if len(id) > 12 {
		return id[:12]
	}
	return id
}
