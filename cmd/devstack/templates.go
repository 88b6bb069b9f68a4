package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"text/tabwriter"

	"github.com/charmbracelet/x/term"
	"github.com/spf13/cobra"

	"github.com/devstack/devstack/templates"
)

type initFlags struct {
	set       []string
	defaults  bool
	force     bool
	plainHTTP bool
}

func newInitCmd(g *globals) *cobra.Command {
	var f initFlags
	cmd := &cobra.Command{
		Use:   "init [TEMPLATE [DIR]]",
		Short: "Create a stack from a template (built-in name, folder, .tgz, https:// or oci:// reference)",
		Long: "With no argument, list the templates. TEMPLATE's options are asked for in a form,\n" +
			"or given with --set KEY=VALUE (--defaults takes the defaults without asking);\n" +
			"they are written to .env next to the compose file.",
		Args: argsBetween(0, 2, "init takes a template and a folder: devstack init [TEMPLATE [DIR]] (no argument lists the templates)"),
		RunE: func(cmd *cobra.Command, args []string) error {
			if len(args) == 0 {
				return listTemplates(cmd.Context(), g)
			}
			dir := "."
			if len(args) == 2 {
				dir = args[1]
			}
			return runInit(cmd.Context(), g, f, args[0], dir)
		},
	}
	fl := cmd.Flags()
	fl.StringArrayVar(&f.set, "set", nil, "set an option (KEY=VALUE, repeatable)")
	fl.BoolVar(&f.defaults, "defaults", false, "take every option's default without asking")
	fl.BoolVar(&f.force, "force", false, "overwrite files that already exist in DIR")
	fl.BoolVar(&f.plainHTTP, "plain-http", false, "fetch oci:// references over plain HTTP")
	return cmd
}

func runInit(ctx context.Context, g *globals, f initFlags, src, dir string) error {
	userDir, err := templates.UserDir()
	if err != nil {
		return err
	}
	t, err := templates.Open(ctx, src, templates.OpenOptions{UserDir: userDir, PlainHTTP: f.plainHTTP})
	if err != nil {
		return err
	}
	values, err := templates.ParseSet(f.set)
	if err != nil {
		return err
	}
	switch {
	case f.defaults || len(t.Options()) == 0:
	case term.IsTerminal(os.Stdin.Fd()) && term.IsTerminal(os.Stdout.Fd()):
		if values, err = templates.Ask(t.Options(), values); err != nil {
			return err
		}
	default:
		// No terminal: one question a line on stderr, answers read from
		// stdin (piped answers, screen readers); an empty answer or the end
		// of the input keeps the default.
		if values, err = templates.AskPlain(t.Options(), values, os.Stdin, g.stderr); err != nil {
			return err
		}
	}
	res, err := templates.Init(ctx, t, dir, templates.InitOptions{Values: values, Force: f.force})
	if err != nil {
		return err
	}
	for _, w := range res.Warnings {
		fmt.Fprintln(g.stderr, "warning:", w)
	}
	for _, o := range res.Overwritten {
		fmt.Fprintln(g.stderr, "overwrote", o)
	}
	fmt.Fprintf(g.stdout, "created %d files in %s from %s; run `devstack up` there\n", len(res.Files), res.Dir, t.Info().Name)
	return nil
}

func listTemplates(ctx context.Context, g *globals) error {
	userDir, err := templates.UserDir()
	if err != nil {
		return err
	}
	list, err := templates.List(ctx, userDir)
	if err != nil {
		return err
	}
	tw := tabwriter.NewWriter(g.stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "NAME\tVERSION\tFROM\tDESCRIPTION")
	for _, l := range list {
		from := "built-in"
		if !l.Builtin {
			from = l.Source
		}
		desc := l.Description
		if l.Err != nil {
			desc = "unreadable: " + l.Err.Error()
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", l.Name, l.Version, from, desc)
	}
	return tw.Flush()
}

func newTemplateCmd(g *globals) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "template",
		Short: "Pack your stack as a template, push it to an OCI registry, list templates",
		Args:  noArgs("template needs a subcommand: devstack template list|pack|push"),
	}
	cmd.AddCommand(&cobra.Command{
		Use:   "list",
		Short: "List built-in templates and those in your template folder",
		Args:  noArgs("template list takes no arguments: devstack template list"),
		RunE:  func(cmd *cobra.Command, _ []string) error { return listTemplates(cmd.Context(), g) },
	}, newPackCmd(g), newPushCmd(g))
	return cmd
}

func newPackCmd(g *globals) *cobra.Command {
	var output string
	cmd := &cobra.Command{
		Use:   "pack [DIR]",
		Short: "Pack a stack folder into a .tgz template (secrets and outside bind mounts left out)",
		Args:  argsBetween(0, 1, "template pack takes at most one folder: devstack template pack [DIR]"),
		RunE: func(cmd *cobra.Command, args []string) error {
			dir := "."
			if len(args) == 1 {
				dir = args[0]
			}
			_, err := pack(cmd.Context(), g, dir, output)
			return err
		},
	}
	cmd.Flags().StringVarP(&output, "output", "o", "", "package file (default NAME-VERSION.tgz in the current folder)")
	return cmd
}

// pack packs dir and prints what went in, what was left out and why.
func pack(ctx context.Context, g *globals, dir, output string) (string, error) {
	rep, err := templates.Pack(ctx, dir, templates.PackOptions{Output: output})
	if err != nil {
		return "", err
	}
	for _, f := range rep.Files {
		note := f.Note
		if f.Data {
			note = strings.TrimSpace("data " + note)
		}
		fmt.Fprintf(g.stdout, "packed    %9s  %s  %s\n", humanSize(f.Size), f.Path, note)
	}
	for _, l := range rep.LeftOut {
		fmt.Fprintf(g.stdout, "left out  %s: %s\n", l.Path, l.Reason)
	}
	for _, w := range rep.Warnings {
		fmt.Fprintln(g.stderr, "warning:", w)
	}
	if rep.ManifestGenerated {
		fmt.Fprintf(g.stderr, "note: no %s in %s; one was generated into the package\n", templates.ManifestFile, dir)
	}
	fmt.Fprintf(g.stdout, "wrote %s (%s)\n", rep.Output, humanSize(rep.Size))
	return rep.Output, nil
}

func newPushCmd(g *globals) *cobra.Command {
	var plainHTTP bool
	cmd := &cobra.Command{
		Use:   "push REF [DIR|FILE.tgz]",
		Short: "Push a template to an OCI registry (packing DIR, default the current folder, first)",
		Args:  argsBetween(1, 2, "template push needs a reference: devstack template push REF [DIR|FILE.tgz]"),
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx := cmd.Context()
			src := "."
			if len(args) == 2 {
				src = args[1]
			}
			file := src
			if st, err := os.Stat(src); err == nil && st.IsDir() {
				tmp, err := os.MkdirTemp("", "devstack-push")
				if err != nil {
					return err
				}
				defer os.RemoveAll(tmp)
				if file, err = pack(ctx, g, src, filepath.Join(tmp, "template.tgz")); err != nil {
					return err
				}
			}
			res, err := templates.Push(ctx, file, args[0], templates.PushOptions{PlainHTTP: plainHTTP})
			if err != nil {
				return err
			}
			fmt.Fprintf(g.stdout, "pushed %s (%s)\n", strings.Join(res.Refs, ", "), res.Digest)
			return nil
		},
	}
	cmd.Flags().BoolVar(&plainHTTP, "plain-http", false, "talk to the registry over plain HTTP")
	return cmd
}

// humanSize renders a byte count with a binary unit.
func humanSize(n int64) string {
	const unit = 1024
	if n < unit {
		return fmt.Sprintf("%d B", n)
	}
	div, exp := int64(unit), 0
	for m := n / unit; m >= unit; m /= unit {
		div *= unit
		exp++
	}
	return fmt.Sprintf("%.1f %ciB", float64(n)/float64(div), "KMGTPE"[exp])
}
