package stack

import (
	"slices"

	"github.com/compose-spec/compose-go/v2/types"
	"github.com/moby/moby/api/types/blkiodev"
	"github.com/moby/moby/api/types/container"
)

// resources converts a service's limits (the top-level keys, then
// deploy.resources, which win) into the engine's cgroup settings.
func resources(sc types.ServiceConfig) container.Resources {
	r := container.Resources{
		CgroupParent:       sc.CgroupParent,
		Memory:             int64(sc.MemLimit),
		MemorySwap:         int64(sc.MemSwapLimit),
		MemoryReservation:  int64(sc.MemReservation),
		CPUCount:           sc.CPUCount,
		CPUPeriod:          sc.CPUPeriod,
		CPUQuota:           sc.CPUQuota,
		CPURealtimePeriod:  sc.CPURTPeriod,
		CPURealtimeRuntime: sc.CPURTRuntime,
		CPUShares:          sc.CPUShares,
		NanoCPUs:           int64(sc.CPUS * 1e9),
		CPUPercent:         int64(sc.CPUPercent * 100),
		CpusetCpus:         sc.CPUSet,
		DeviceCgroupRules:  sc.DeviceCgroupRules,
		Ulimits:            ulimits(sc.Ulimits),
	}
	oomKillDisable := sc.OomKillDisable
	r.OomKillDisable = &oomKillDisable
	if sc.MemSwappiness != 0 {
		v := int64(sc.MemSwappiness)
		r.MemorySwappiness = &v
	}
	if sc.PidsLimit != 0 {
		v := sc.PidsLimit
		r.PidsLimit = &v
	}
	if sc.Deploy != nil {
		deployLimits(sc.Deploy.Resources, &r)
	}
	blkio(sc.BlkioConfig, &r)
	for _, g := range sc.Gpus {
		r.DeviceRequests = append(r.DeviceRequests, deviceRequest(g, "gpu"))
	}
	for _, d := range sc.Devices {
		r.Devices = append(r.Devices, container.DeviceMapping{
			PathOnHost:        d.Source,
			PathInContainer:   d.Target,
			CgroupPermissions: d.Permissions,
		})
	}
	return r
}

func deployLimits(res types.Resources, r *container.Resources) {
	if l := res.Limits; l != nil {
		if l.MemoryBytes != 0 {
			r.Memory = int64(l.MemoryBytes)
		}
		if l.NanoCPUs != 0 {
			r.NanoCPUs = int64(l.NanoCPUs * 1e9)
		}
		if l.Pids > 0 {
			v := l.Pids
			r.PidsLimit = &v
		}
	}
	if rs := res.Reservations; rs != nil {
		if rs.MemoryBytes != 0 {
			r.MemoryReservation = int64(rs.MemoryBytes)
		}
		for _, d := range rs.Devices {
			r.DeviceRequests = append(r.DeviceRequests, deviceRequest(d, ""))
		}
	}
}

// deviceRequest converts gpus: and device reservations; gpus: always asks
// for the gpu capability, as Compose does.
func deviceRequest(d types.DeviceRequest, extraCapability string) container.DeviceRequest {
	caps := d.Capabilities
	if extraCapability != "" {
		caps = append(slices.Clone(caps), extraCapability)
	}
	return container.DeviceRequest{Driver: d.Driver, Count: int(d.Count), DeviceIDs: d.IDs,
		Capabilities: [][]string{caps}, Options: d.Options}
}

// blkio converts blkio_config's weights and throttles.
func blkio(b *types.BlkioConfig, r *container.Resources) {
	if b == nil {
		return
	}
	r.BlkioWeight = b.Weight
	for _, w := range b.WeightDevice {
		r.BlkioWeightDevice = append(r.BlkioWeightDevice, &blkiodev.WeightDevice{Path: w.Path, Weight: w.Weight})
	}
	throttle := func(ds []types.ThrottleDevice) []*blkiodev.ThrottleDevice {
		var out []*blkiodev.ThrottleDevice
		for _, d := range ds {
			out = append(out, &blkiodev.ThrottleDevice{Path: d.Path, Rate: uint64(d.Rate)})
		}
		return out
	}
	r.BlkioDeviceReadBps = throttle(b.DeviceReadBps)
	r.BlkioDeviceReadIOps = throttle(b.DeviceReadIOps)
	r.BlkioDeviceWriteBps = throttle(b.DeviceWriteBps)
	r.BlkioDeviceWriteIOps = throttle(b.DeviceWriteIOps)
}

// ulimits converts ulimits, sorted by name; a single value sets both soft
// and hard limits.
func ulimits(m map[string]*types.UlimitsConfig) []*container.Ulimit {
	var out []*container.Ulimit
	for _, name := range sortedKeys(m) {
		u := m[name]
		soft, hard := u.Single, u.Single
		if u.Soft != 0 {
			soft = u.Soft
		}
		if u.Hard != 0 {
			hard = u.Hard
		}
		out = append(out, &container.Ulimit{Name: name, Soft: int64(soft), Hard: int64(hard)})
	}
	return out
}
