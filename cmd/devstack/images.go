package main

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"github.com/devstack/devstack/stack"
)

type imagesFlags struct {
	quiet  bool
	format string
}

func newImagesCmd(g *globals) *cobra.Command {
	var f imagesFlags
	cmd := &cobra.Command{
		Use:   "images [flags] [SERVICE...]",
		Short: "List the images used by the created containers",
		RunE: g.onProject(false, func(ctx context.Context, e *stack.Engine, name string, p *stack.Project, services []string) error {
			if f.format != "table" && f.format != "json" {
				return fmt.Errorf("images --format %q: want table or json", f.format)
			}
			imgs, err := e.Images(ctx, name, p, services)
			if err != nil {
				return err
			}
			return printImages(g, imgs, f, time.Now())
		}),
	}
	cmd.Flags().StringVar(&f.format, "format", "table", "table or json")
	cmd.Flags().BoolVarP(&f.quiet, "quiet", "q", false, "only display image IDs")
	return cmd
}

// imageJSON is one entry of `images --format json`, with compose's fields
// in compose's order.
type imageJSON struct {
	ID            string     `json:"ID"`
	ContainerName string     `json:"ContainerName"`
	Repository    string     `json:"Repository"`
	Tag           string     `json:"Tag"`
	Platform      string     `json:"Platform"`
	Size          int64      `json:"Size"`
	Created       *time.Time `json:"Created,omitempty"`
	LastTagTime   time.Time  `json:"LastTagTime,omitzero"`
}

func printImages(g *globals, imgs []stack.ContainerImage, f imagesFlags, now time.Time) error {
	switch {
	case f.quiet:
		var ids []string
		for _, img := range imgs {
			if id := withoutAlgorithm(img.ID); !slices.Contains(ids, id) {
				ids = append(ids, id)
				fmt.Fprintln(g.stdout, id)
			}
		}
		return nil
	case f.format == "json":
		var list []imageJSON // compose prints null for none
		for _, img := range imgs {
			j := imageJSON{ID: img.ID, ContainerName: img.Container, Repository: img.Repository, Tag: img.Tag,
				Platform: img.Platform, Size: img.Size, LastTagTime: img.LastTagTime}
			if !img.Created.IsZero() {
				j.Created = &img.Created
			}
			list = append(list, j)
		}
		enc := json.NewEncoder(g.stdout)
		enc.SetEscapeHTML(false)
		if err := enc.Encode(list); err != nil {
			return err
		}
		_, err := fmt.Fprintln(g.stdout)
		return err
	}
	tw := tabwriter.NewWriter(g.stdout, 20, 1, 3, ' ', 0)
	fmt.Fprintln(tw, "CONTAINER\tREPOSITORY\tTAG\tPLATFORM\tIMAGE ID\tSIZE\tCREATED")
	for _, img := range imgs {
		created := "N/A"
		if !img.Created.IsZero() {
			created = humanDuration(now.Sub(img.Created)) + " ago"
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\n", img.Container, orNone(img.Repository), orNone(img.Tag),
			img.Platform, shortID(img.ID), decimalSize(float64(img.Size)), created)
	}
	return tw.Flush()
}

func orNone(s string) string {
	if s == "" {
		return "<none>"
	}
	return s
}
