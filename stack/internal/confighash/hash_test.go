package confighash

import (
	"testing"

	"github.com/compose-spec/compose-go/v2/types"
)

// TestHashGoldenValues checks the hash functions against the golden values
// of Compose's own hash_test.go (pkg/compose, v5.6.0).
func TestHashGoldenValues(t *testing.T) {
	replicas := 3
	var svc types.ServiceConfig
	svc.Name = "web"
	svc.Image = "nginx:latest"
	svc.Command = types.ShellCommand{"nginx", "-g", "daemon off;"}
	svc.User = "nobody"
	svc.Tty = true
	svc.StdinOpen = true
	svc.Restart = types.RestartPolicyAlways
	one := "1"
	svc.Environment = types.MappingWithEquals{"A": &one, "B": nil}
	svc.Labels = types.Labels{"com.example": "v"}
	svc.Annotations = types.Mapping{"note": "x"}
	svc.CapAdd = []string{"NET_ADMIN"}
	svc.ExtraHosts = types.HostsList{"alpha": []string{"10.0.0.1"}}
	svc.Deploy = &types.DeployConfig{Replicas: &replicas}
	svc.Ports = []types.ServicePortConfig{{Target: 80, Published: "8080", Protocol: "tcp"}}
	svc.HealthCheck = &types.HealthCheckConfig{Test: types.HealthCheckTest{"CMD", "true"}}
	svc.Volumes = []types.ServiceVolumeConfig{{Type: types.VolumeTypeVolume, Source: "data", Target: "/data"}}
	svc.Networks = map[string]*types.ServiceNetworkConfig{"default": nil}

	cases := []struct {
		name string
		hash func() (string, error)
		want string
	}{
		{"service", func() (string, error) { return Service(svc) }, "75bc312132c71fac4971d123202631b6978ac9d796336621af744d46611b42a2"},
		{"network", func() (string, error) {
			return Network(types.NetworkConfig{Name: "proj_default", Driver: "bridge"})
		}, "eeef29d8955b1d4e9382986e213c80789065d989d7a6d035163e0180159aaac0"},
		{"volume", func() (string, error) { return Volume(types.VolumeConfig{Name: "proj_data"}) }, "dd3953f0ff20e0f9044086b0483690f2cc2b4653e57aaaa5fa8ea2735da61000"},
	}
	for _, c := range cases {
		got, err := c.hash()
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		if got != c.want {
			t.Errorf("%s: got %s, want %s", c.name, got, c.want)
		}
	}
}
