package dockerfile

import (
	"regexp"
	"strconv"
	"strings"
)

// stepPrefixRe splits a step vertex name into its stage and instruction:
// "[builder 2/4] RUN make" -> "builder", "RUN make".
var stepPrefixRe = regexp.MustCompile(`^\[(?:([^\]\s]+) )?\d+/\d+\] (.*)$`)

// StepLine finds the Dockerfile line of the instruction a BuildKit step
// vertex runs, for engines whose errors carry no source map (BuildKit
// before v0.9, Engine 20.10): by its stage and its text, flags left aside.
// It returns 0 when the instruction cannot be told apart.
func StepLine(src []byte, vertexName string) int {
	m := stepPrefixRe.FindStringSubmatch(vertexName)
	if m == nil || src == nil {
		return 0
	}
	df, err := Parse(src)
	if err != nil {
		return 0
	}
	stage, text := strings.ToLower(m[1]), m[2]
	cmd, rest := cutSpace(text)
	want := stepArgs(split(cmd+" "+rest, 0).Args)
	index, line := -1, 0
	for _, step := range df.Instructions {
		if step.Cmd == "FROM" {
			index++
			continue
		}
		if index < 0 || !stageMatches(df, stage, index) {
			continue
		}
		if step.Cmd == strings.ToUpper(cmd) && stepArgs(step.Args) == want {
			if line != 0 {
				return 0
			}
			line = step.Line
		}
	}
	return line
}

// stageMatches says whether the instruction's stage is the one a vertex
// name gives: its name, "stage-N" for an unnamed one, or "" when the
// Dockerfile has one stage.
func stageMatches(df *File, stage string, index int) bool {
	if stage == "" {
		return true
	}
	stages := df.Stages(nil)
	if index >= len(stages) {
		return false
	}
	s := stages[index]
	return s.Name == stage || "stage-"+strconv.Itoa(s.Index) == stage
}

// stepArgs normalises an instruction's arguments: blanks collapsed.
func stepArgs(s string) string {
	return strings.Join(strings.Fields(s), " ")
}
