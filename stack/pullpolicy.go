package stack

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/compose-spec/compose-go/v2/types"
	cerrdefs "github.com/containerd/errdefs"
)

// PullPolicies are the values `up --pull` and `pull --policy` accept, as in
// compose ("policy" keeps each service's own).
var PullPolicies = []string{types.PullPolicyAlways, types.PullPolicyMissing, types.PullPolicyNever,
	types.PullPolicyBuild, types.PullPolicyIfNotPresent}

// checkPolicyOverride rejects an unknown --pull value with the accepted ones.
func checkPolicyOverride(policy string) error {
	if policy == "" || slices.Contains(PullPolicies, policy) {
		return nil
	}
	return fmt.Errorf("invalid pull policy %q: want one of %v", policy, PullPolicies)
}

// localImage is what the engine has of an image reference.
type localImage struct {
	ID string
	// Tagged is when the engine last tagged the image (its pull), which is
	// what compose's daily/weekly/every_<d> policies measure; Created is
	// the image's build time, used when the engine keeps no tag time.
	Tagged, Created time.Time
}

// age is how old the local copy is for a refresh policy.
func (l localImage) age(now time.Time) time.Duration {
	t := l.Tagged
	if t.IsZero() {
		t = l.Created
	}
	return now.Sub(t)
}

// inspectLocal inspects each distinct image once, in parallel; absent
// images are left out of the map.
func (e *Engine) inspectLocal(ctx context.Context, images []string) (map[string]localImage, error) {
	type res struct {
		image string
		li    localImage
		err   error
	}
	out := make(chan res, len(images))
	for _, image := range images {
		go func() {
			r, err := e.api.ImageInspect(ctx, image)
			li := localImage{ID: r.ID, Tagged: r.Metadata.LastTagTime}
			if err == nil {
				li.Created, _ = time.Parse(time.RFC3339Nano, r.Created)
			}
			out <- res{image, li, err}
		}()
	}
	found := map[string]localImage{}
	var firstErr error
	for range images {
		r := <-out
		switch {
		case cerrdefs.IsNotFound(r.err):
		case r.err != nil && firstErr == nil:
			firstErr = fmt.Errorf("inspect image %s: %w", r.image, r.err)
		case r.err == nil:
			found[r.image] = r.li
		}
	}
	return found, firstErr
}

// mustPull is up's reading of a pull policy (compose's mustPull): whether
// the image has to be pulled before containers are created.
func mustPull(policy string, local localImage, present bool, now time.Time) (bool, error) {
	p, every, err := types.ServiceConfig{ContainerSpec: types.ContainerSpec{PullPolicy: policy}}.GetPullPolicy()
	if err != nil {
		return false, err
	}
	switch p {
	case types.PullPolicyAlways:
		return true, nil
	case types.PullPolicyNever, types.PullPolicyBuild:
		return false, nil
	case types.PullPolicyRefresh:
		return !present || local.age(now) > every, nil
	}
	return !present, nil
}

// shouldPull is `pull`'s reading (compose's shouldPullImage): an explicit
// pull refreshes images without a policy, refresh windows are due, and a
// present `latest` tag is still asked for. The reason says why not.
func shouldPull(policy string, ref ImageRef, local localImage, present bool, now time.Time) (bool, string, error) {
	if policy == "" {
		return true, "", nil
	}
	pull, err := mustPull(policy, local, present, now)
	if err != nil || pull {
		return pull, "", err
	}
	p, _, _ := types.ServiceConfig{ContainerSpec: types.ContainerSpec{PullPolicy: policy}}.GetPullPolicy()
	switch p {
	case types.PullPolicyRefresh:
		return true, "", nil
	case types.PullPolicyMissing, types.PullPolicyIfNotPresent:
		if ref.Tag == "latest" && ref.Digest == "" {
			return true, "", nil
		}
		return false, "image is already present locally", nil
	}
	return false, "pull_policy is " + policy, nil
}
