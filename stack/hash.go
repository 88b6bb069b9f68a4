package stack

import (
	"fmt"
	"strings"

	"github.com/compose-spec/compose-go/v2/types"

	"github.com/devstack/devstack/stack/internal/confighash"
)

// ResolvedHash is the config hash Compose stamps on a container of service
// when it creates it: references to other services (network_mode, ipc and
// pid "service:X", volumes_from entries) are first replaced by the
// container they resolve to, as Compose's create does. containerOf returns
// the ID of the container of a service that Compose would pick (the one
// with the lowest number). Without references it equals Service.Hash.
func (p *Project) ResolvedHash(service string, containerOf func(service string) (id string, ok bool)) (string, error) {
	if p.model == nil {
		return "", fmt.Errorf("hash %s: project was not loaded", service)
	}
	sc, ok := p.model.project.Services[service]
	if !ok {
		return "", fmt.Errorf("hash %s: %w", service, ErrUnknownService)
	}
	sc.VolumesFrom = append([]string(nil), sc.VolumesFrom...)
	for i, vol := range sc.VolumesFrom {
		// Compose replaces the whole entry, dropping a :ro/:rw suffix.
		spec := strings.Split(vol, ":")
		if spec[0] == "container" && len(spec) > 1 {
			sc.VolumesFrom[i] = spec[1]
			continue
		}
		id, ok := containerOf(spec[0])
		if !ok {
			return "", fmt.Errorf("hash %s: volumes_from %s: %w", service, spec[0], ErrNotCreated)
		}
		sc.VolumesFrom[i] = id
	}
	for _, mode := range []*string{&sc.NetworkMode, &sc.Ipc, &sc.Pid} {
		target, ok := strings.CutPrefix(*mode, types.ServicePrefix)
		if !ok {
			continue
		}
		id, found := containerOf(target)
		if !found {
			return "", fmt.Errorf("hash %s: %s: %w", service, *mode, ErrNotCreated)
		}
		*mode = types.ContainerPrefix + id
	}
	return confighash.Service(sc)
}
