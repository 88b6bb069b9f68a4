package templates_test

import (
	"context"
	"fmt"
	"os"

	"github.com/devstack/devstack/templates"
)

// The wiring of `devstack init NAME [DIR] [--set K=V] [--defaults] [--force]`.
func Example_init() {
	ctx := context.Background()
	userDir, _ := templates.UserDir()
	t, err := templates.Open(ctx, "php-mariadb", templates.OpenOptions{UserDir: userDir})
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return
	}
	values, err := templates.ParseSet([]string{"HTTP_PORT=9090"})
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return
	}
	interactive, defaults := false, true // from the terminal and --defaults
	if interactive && !defaults {
		if values, err = templates.Ask(t.Options(), values); err != nil {
			fmt.Fprintln(os.Stderr, err)
			return
		}
	}
	res, err := templates.Init(ctx, t, "shop", templates.InitOptions{Values: values})
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return
	}
	for _, w := range res.Warnings {
		fmt.Println("warning:", w)
	}
	fmt.Printf("created %d files in %s; run devstack up there\n", len(res.Files), res.Dir)
}

// The wiring of `devstack template pack [DIR] [-o FILE]` and `devstack
// template push REF`.
func Example_packAndPush() {
	ctx := context.Background()
	rep, err := templates.Pack(ctx, ".", templates.PackOptions{})
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return
	}
	for _, f := range rep.Files {
		fmt.Printf("packed  %8d  %s %s\n", f.Size, f.Path, f.Note)
	}
	for _, l := range rep.LeftOut {
		fmt.Printf("left out  %s: %s\n", l.Path, l.Reason)
	}
	res, err := templates.Push(ctx, rep.Output, "localhost:5000/team/shop", templates.PushOptions{})
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return
	}
	fmt.Println("pushed", res.Refs, res.Digest)
}
