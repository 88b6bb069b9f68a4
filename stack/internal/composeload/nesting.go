package composeload

import (
	"fmt"

	"github.com/compose-spec/compose-go/v2/types"
)

// maxVariableNesting bounds how deeply ${…} may nest in a compose file.
// compose-go expands nested defaults in time that grows with about the
// fourth power of the depth (1,000 levels take 0.2 s, 2,000 take 2 s,
// 10,000 would take many minutes), so a hostile or broken file could hang
// every verb; no real file nests more than a few levels.
const maxVariableNesting = 64

// checkVariableNesting refuses a compose file whose ${…} nest deeper than
// maxVariableNesting, naming the file and line where the limit is passed.
// "$$" is compose's escape for a literal dollar and opens nothing.
func checkVariableNesting(files []types.ConfigFile, dir string) error {
	for _, f := range files {
		content := f.Content
		depth, line := 0, 1
		for i := 0; i < len(content); i++ {
			switch c := content[i]; {
			case c == '\n':
				line++
			case c == '$' && i+1 < len(content) && content[i+1] == '$':
				i++
			case c == '$' && i+1 < len(content) && content[i+1] == '{':
				depth++
				i++
				if depth > maxVariableNesting {
					return fmt.Errorf("%s:%d: variables nested more than %d deep in one value (${…${…}…}); compose would take minutes to expand it: simplify the value",
						DisplayPath(f.Filename, dir), line, maxVariableNesting)
				}
			case c == '}' && depth > 0:
				depth--
			}
		}
	}
	return nil
}
