package stack

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"strings"

	"github.com/compose-spec/compose-go/v2/types"
)

// securityOpts passes security_opt on as Compose does: a seccomp profile
// given as a file is sent inline, and systempaths=unconfined is not an
// engine option but a request to unmask /proc and /sys paths.
func securityOpts(model *types.Project, opts []string) (parsed []string, unconfined bool, err error) {
	for _, opt := range opts {
		if opt == "systempaths=unconfined" {
			unconfined = true
			continue
		}
		key, value, ok := strings.Cut(opt, "=")
		if !ok {
			key, value, ok = strings.Cut(opt, ":")
		}
		if !ok && key != "no-new-privileges" {
			return nil, false, fmt.Errorf("security_opt %q: want key=value", opt)
		}
		if key != "seccomp" || value == "unconfined" || value == "builtin" {
			parsed = append(parsed, opt)
			continue
		}
		raw, err := os.ReadFile(model.RelativePath(value))
		if err != nil {
			return nil, false, fmt.Errorf("security_opt seccomp profile: %w", err)
		}
		var compact bytes.Buffer
		if err := json.Compact(&compact, raw); err != nil {
			return nil, false, fmt.Errorf("security_opt seccomp profile %s: %w", value, err)
		}
		parsed = append(parsed, "seccomp="+compact.String())
	}
	return parsed, unconfined, nil
}
