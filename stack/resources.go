package stack

import (
	"github.com/compose-spec/compose-go/v2/types"

	"github.com/devstack/devstack/stack/internal/confighash"
)

// NetworkSpec is one network of a project as configured: the key it has in
// the compose file, the engine name (<project>_<key> unless name: says
// otherwise) and Compose's config hash (the com.docker.compose.config-hash
// label on networks Compose creates). External networks are not created;
// their Hash is still what Compose computes.
type NetworkSpec struct {
	Key      string
	Name     string
	Driver   string
	Internal bool
	External bool
	Labels   map[string]string
	Hash     string
}

// VolumeSpec is one named volume of a project as configured, like
// NetworkSpec. Driver is empty for the engine's default (local).
type VolumeSpec struct {
	Key      string
	Name     string
	Driver   string
	External bool
	Labels   map[string]string
	Hash     string
}

// Network returns the network declared under key.
func (p *Project) Network(key string) (NetworkSpec, bool) {
	for _, n := range p.NetworkConfigs {
		if n.Key == key {
			return n, true
		}
	}
	return NetworkSpec{}, false
}

// Volume returns the volume declared under key.
func (p *Project) Volume(key string) (VolumeSpec, bool) {
	for _, v := range p.VolumeConfigs {
		if v.Key == key {
			return v, true
		}
	}
	return VolumeSpec{}, false
}

func networkSpecs(model *types.Project) ([]NetworkSpec, error) {
	out := make([]NetworkSpec, 0, len(model.Networks))
	for _, key := range sortedKeys(model.Networks) {
		n := model.Networks[key]
		hash, err := confighash.Network(n)
		if err != nil {
			return nil, err
		}
		out = append(out, NetworkSpec{Key: key, Name: n.Name, Driver: n.Driver, Internal: n.Internal,
			External: bool(n.External), Labels: n.Labels, Hash: hash})
	}
	return out, nil
}

func volumeSpecs(model *types.Project) ([]VolumeSpec, error) {
	out := make([]VolumeSpec, 0, len(model.Volumes))
	for _, key := range sortedKeys(model.Volumes) {
		v := model.Volumes[key]
		hash, err := confighash.Volume(v)
		if err != nil {
			return nil, err
		}
		out = append(out, VolumeSpec{Key: key, Name: v.Name, Driver: v.Driver,
			External: bool(v.External), Labels: v.Labels, Hash: hash})
	}
	return out, nil
}
