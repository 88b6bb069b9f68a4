package dockerfile

import (
	"fmt"
	"strings"
)

// Use is one place where a Dockerfile uses syntax that some builder lacks.
type Use struct {
	Line int
	// Feature names the syntax as a message shows it: "RUN --mount",
	// "COPY heredoc <<EOF".
	Feature string
}

// classicFlags are the instruction flags the classic builder understands;
// any other flag on these instructions is BuildKit syntax. (The classic
// builder rejects --chmod with "requires BuildKit" on every engine version,
// and fails on --link, --mount, --network, --security, --parents, --exclude,
// --checksum and --keep-git-dir.)
var classicFlags = map[string]map[string]bool{
	"FROM": {"platform": true},
	"RUN":  {},
	"COPY": {"from": true, "chown": true},
	"ADD":  {"chown": true},
}

// BuildKitOnly lists the uses of syntax the classic builder cannot build
// (BuildKit-only flags and heredocs), in line order.
func (f *File) BuildKitOnly() []Use {
	var uses []Use
	for _, step := range f.Instructions {
		step = step.Trigger()
		allowed, checked := classicFlags[step.Cmd]
		if !checked {
			continue
		}
		for _, fl := range step.Flags {
			if !allowed[fl.Name] {
				uses = append(uses, Use{Line: step.Line, Feature: fmt.Sprintf("%s --%s", step.Cmd, fl.Name)})
			}
		}
		if len(step.Heredocs) > 0 {
			uses = append(uses, Use{Line: step.Line, Feature: heredocFeature(step)})
		}
	}
	return uses
}

// newerSyntax is, by the instruction flag that asks for it, Dockerfile
// syntax the built-in Dockerfile frontend of BuildKit before v0.10 (Engine
// 20.10 and older: Dockerfile syntax 1.2/1.3) rejects, with the syntax
// version that brought it. Checked on Engine 20.10: heredocs fail with
// "unknown instruction", the flags below with "Unknown flag"; COPY --chmod
// and RUN --mount work.
var newerSyntax = map[string]string{
	"RUN --network":      "1.3",
	"RUN --security":     "1.1-labs",
	"COPY --link":        "1.4",
	"ADD --link":         "1.4",
	"COPY --parents":     "1.7",
	"COPY --exclude":     "1.7",
	"ADD --exclude":      "1.7",
	"ADD --checksum":     "1.6",
	"ADD --keep-git-dir": "1.5",
}

// OldFrontendRejects finds the first use of syntax that the Dockerfile
// frontend built into BuildKit before v0.10 (Engine 20.10) rejects, and
// the Dockerfile syntax version that brought it. It looks at the
// instructions only: a `# syntax=` directive (f.Syntax) selects another
// frontend, and whether that matters is the caller's to judge.
func (f *File) OldFrontendRejects() (use Use, since string, ok bool) {
	for _, step := range f.Instructions {
		step = step.Trigger()
		if len(step.Heredocs) > 0 {
			return Use{step.Line, heredocFeature(step)}, "1.4", true
		}
		for _, fl := range step.Flags {
			feature := step.Cmd + " --" + fl.Name
			if since, ok := newerSyntax[feature]; ok {
				return Use{step.Line, feature}, since, true
			}
			if fl.Name == "mount" && strings.Contains(fl.Value, "required") {
				return Use{step.Line, "RUN --mount required"}, "1.5", true
			}
		}
	}
	return Use{}, "", false
}

func heredocFeature(step Instruction) string {
	return fmt.Sprintf("%s heredoc <<%s", step.Cmd, step.Heredocs[0])
}
