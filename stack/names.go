package stack

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/compose-spec/compose-go/v2/types"
)

// containerNameFor is the name Compose gives container number n of a
// service: its container_name, or <project>-<service>-<n>.
func containerNameFor(project string, sc types.ServiceConfig, n int) string {
	if sc.ContainerName != "" {
		return sc.ContainerName
	}
	return fmt.Sprintf("%s-%s-%d", project, sc.Name, n)
}

// replacementName is the temporary name of a container created to replace
// another: the old one's short ID in front of the final name, as Compose
// does, so the two can coexist until the old one is removed.
func replacementName(oldID, finalName string) string {
	return oldID[:min(12, len(oldID))] + "_" + finalName
}

// replacedLabel is the value of the replace label Compose writes on a
// recreated container: <service>-<number> or the container_name.
func replacedLabel(sc types.ServiceConfig, n int) string {
	if sc.ContainerName != "" {
		return sc.ContainerName
	}
	return sc.Name + "-" + strconv.Itoa(n)
}

// engineName strips the leading slash the engine puts on container names.
func engineName(name string) string {
	return strings.TrimPrefix(name, "/")
}
