package main

import (
	"fmt"
	"strings"

	"github.com/spf13/cobra"
)

// argsBetween accepts min to max arguments (max < 0: no limit). Outside
// that it says, in a sentence, what the verb expects, instead of cobra's
// bare "accepts 1 arg(s), received 0".
func argsBetween(min, max int, expects string) cobra.PositionalArgs {
	return func(cmd *cobra.Command, args []string) error {
		if len(args) >= min && (max < 0 || len(args) <= max) {
			return nil
		}
		return fmt.Errorf("%s (got %s)", expects, describeArgs(args))
	}
}

// noArgs is argsBetween(0, 0) for verbs that take no arguments.
func noArgs(expects string) cobra.PositionalArgs { return argsBetween(0, 0, expects) }

func describeArgs(args []string) string {
	if len(args) == 0 {
		return "nothing"
	}
	return fmt.Sprintf("%q", strings.Join(args, " "))
}
