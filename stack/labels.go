package stack

import (
	"fmt"
	"sort"
	"strconv"
	"strings"

	"github.com/compose-spec/compose-go/v2/types"

	"github.com/devstack/devstack/stack/internal/confighash"
)

// Compose's label keys. Containers, networks and volumes carry them so that
// devstack and `docker compose` recognise each other's resources.
const (
	labelProject     = "com.docker.compose.project"
	labelService     = "com.docker.compose.service"
	labelNumber      = "com.docker.compose.container-number"
	labelOneOff      = "com.docker.compose.oneoff"
	labelConfigHash  = "com.docker.compose.config-hash"
	labelDependsOn   = "com.docker.compose.depends_on"
	labelImage       = "com.docker.compose.image"
	labelWorkingDir  = "com.docker.compose.project.working_dir"
	labelConfigFiles = "com.docker.compose.project.config_files"
	labelVersion     = "com.docker.compose.version"
	labelReplace     = "com.docker.compose.replace"
	labelNetwork     = "com.docker.compose.network"
	labelVolume      = "com.docker.compose.volume"
)

// composeVersion is written in the version label. Compose writes its own
// release there; devstack writes the release whose behaviour it follows, so
// `docker compose` sees nothing unusual.
const composeVersion = "5.6.0"

// containerLabels are the labels of one container of a service: the
// service's own labels, then Compose's, which win on a clash as in Compose.
// imageID is the ID of the image the container runs ("" when unknown).
func containerLabels(model *types.Project, sc types.ServiceConfig, number int, hash, imageID string) map[string]string {
	labels := make(map[string]string, len(sc.Labels)+12)
	for k, v := range sc.Labels {
		labels[k] = v
	}
	labels[labelProject] = model.Name
	labels[labelService] = sc.Name
	labels[labelVersion] = composeVersion
	labels[labelWorkingDir] = model.WorkingDir
	labels[labelConfigFiles] = strings.Join(model.ComposeFiles, ",")
	labels[labelOneOff] = "False"
	labels[labelConfigHash] = hash
	labels[labelNumber] = strconv.Itoa(number)
	labels[labelDependsOn] = dependsOnLabel(sc.DependsOn)
	if imageID != "" {
		labels[labelImage] = imageID
	}
	return labels
}

// dependsOnLabel encodes depends_on as Compose does,
// "svc:condition:restart" comma-joined, here sorted by service so the label
// is stable from one run to the next.
func dependsOnLabel(deps types.DependsOnConfig) string {
	parts := make([]string, 0, len(deps))
	for _, name := range sortedKeys(deps) {
		d := deps[name]
		parts = append(parts, fmt.Sprintf("%s:%s:%t", name, d.Condition, d.Restart))
	}
	return strings.Join(parts, ",")
}

// labelDependency is one entry of a depends_on label.
type labelDependency struct {
	Service   string
	Condition string
	Restart   bool
}

// parseDependsOnLabel reads a depends_on label back; down uses it to order
// containers when there is no compose file.
func parseDependsOnLabel(v string) []labelDependency {
	var out []labelDependency
	for _, part := range strings.Split(v, ",") {
		if part == "" {
			continue
		}
		fields := strings.Split(part, ":")
		d := labelDependency{Service: fields[0], Condition: types.ServiceConditionStarted}
		if len(fields) > 1 {
			d.Condition = fields[1]
		}
		if len(fields) > 2 {
			d.Restart = fields[2] == "true"
		}
		out = append(out, d)
	}
	return out
}

// networkLabels are the labels of a network the project creates: its own
// labels plus Compose's (project, key, version, config hash).
func networkLabels(project, key string, n types.NetworkConfig) (map[string]string, error) {
	hash, err := confighash.Network(n)
	if err != nil {
		return nil, err
	}
	return resourceLabels(n.Labels, project, labelNetwork, key, hash), nil
}

// volumeLabels are the labels of a volume the project creates.
func volumeLabels(project, key string, v types.VolumeConfig) (map[string]string, error) {
	hash, err := confighash.Volume(v)
	if err != nil {
		return nil, err
	}
	return resourceLabels(v.Labels, project, labelVolume, key, hash), nil
}

func resourceLabels(own types.Labels, project, keyLabel, key, hash string) map[string]string {
	labels := make(map[string]string, len(own)+4)
	for k, v := range own {
		labels[k] = v
	}
	labels[labelProject] = project
	labels[keyLabel] = key
	labels[labelVersion] = composeVersion
	labels[labelConfigHash] = hash
	return labels
}

// projectLabelFilter is the label filter value that selects a project's resources.
func projectLabelFilter(project string) string {
	return labelProject + "=" + project
}

// sortedLabelValues lists the distinct values of one label, sorted.
func sortedLabelValues(items []map[string]string, key string) []string {
	seen := map[string]bool{}
	var out []string
	for _, labels := range items {
		if v, ok := labels[key]; ok && v != "" && !seen[v] {
			seen[v] = true
			out = append(out, v)
		}
	}
	sort.Strings(out)
	return out
}
