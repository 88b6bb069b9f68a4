package main

import (
	"bufio"
	"bytes"
	"strings"
	"testing"

	"github.com/devstack/devstack/stack"
)

func TestConfirmClean(t *testing.T) {
	plan := stack.CleanPlan{Projects: []string{"shop"}, Items: []stack.Leftover{
		{Kind: stack.LeftoverDanglingImage, Project: "shop", Name: "abc", Size: 2048},
		{Kind: stack.LeftoverNamedVolume, Project: "shop", Name: "shop_db", Size: 4096},
	}}
	for _, tc := range []struct {
		name             string
		flags            cleanFlags
		stdin            string
		wantOK, wantVols bool
		wantOut          string
	}{
		{"dry run", cleanFlags{dryRun: true, volumes: true}, "y\ny\n", false, false, ""},
		{"no", cleanFlags{}, "n\n", false, false, "Nothing removed."},
		{"end of input", cleanFlags{}, "", false, false, "Nothing removed."},
		{"yes", cleanFlags{}, "y\n", true, false, "Remove the 1 items above (2.0 KiB)? [y/N] "},
		{"yes keeps volumes", cleanFlags{volumes: true}, "yes\nn\n", true, false, "Named volumes kept."},
		{"volumes named", cleanFlags{volumes: true}, "y\nY\n", true, true, "the named volumes shop_db and all the data"},
		{"-y does not answer for volumes", cleanFlags{yes: true, volumes: true}, "", true, false, "Named volumes kept."},
		{"-y then volumes", cleanFlags{yes: true, volumes: true}, "y\n", true, true, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var out bytes.Buffer
			opts, ok := confirmClean(bufio.NewReader(strings.NewReader(tc.stdin)), &out, plan, tc.flags)
			if ok != tc.wantOK || opts.Volumes != tc.wantVols || !strings.Contains(out.String(), tc.wantOut) {
				t.Errorf("got ok=%v volumes=%v output %q; want ok=%v volumes=%v output containing %q",
					ok, opts.Volumes, out.String(), tc.wantOK, tc.wantVols, tc.wantOut)
			}
		})
	}
	onlyVolume := stack.CleanPlan{Items: plan.Items[1:]}
	var out bytes.Buffer
	if _, ok := confirmClean(bufio.NewReader(strings.NewReader("n\n")), &out, onlyVolume, cleanFlags{volumes: true}); ok || strings.Contains(out.String(), "Remove the 0 items") {
		t.Errorf("only a named volume, answered n: ok=%v, output %q; want one question, about the volume", ok, out.String())
	}
}

func TestPrintCleanPlan(t *testing.T) {
	plan := stack.CleanPlan{Projects: []string{"shop"}, Items: []stack.Leftover{
		{Kind: stack.LeftoverOneOff, Project: "shop", Name: "shop-app-run-1", Size: 10, Why: "one-off container of app"},
		{Kind: stack.LeftoverNetwork, Project: "shop", Name: "shop_old", Size: 0, Why: "network old is no longer in the file"},
		{Kind: stack.LeftoverNamedVolume, Project: "shop", Name: "shop_db", Size: -1},
	}, BuildCache: stack.BuildCacheUsage{Records: 3, Size: 3072, Reclaimable: 1024}}
	var out bytes.Buffer
	printCleanPlan(&out, plan, cleanFlags{dryRun: true})
	for _, want := range []string{
		"shop     one-off container  shop-app-run-1  10 B  one-off container of app",
		"shop     named volume       shop_db         -",
		"Reclaimable: 10 B, plus 0 B in named volumes (removed only with --volumes)",
		"build cache: 3 records, 3.0 KiB (1.0 KiB unused)",
		"Dry run: nothing removed.",
	} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("output lacks %q:\n%s", want, out.String())
		}
	}
}
