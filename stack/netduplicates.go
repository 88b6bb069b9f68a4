package stack

import (
	"context"
	"fmt"
	"sort"

	cerrdefs "github.com/containerd/errdefs"
	"github.com/moby/moby/api/types/network"
	"github.com/moby/moby/client"
)

// Engines before API 1.44 create a second network with a name already
// taken unless the client asks them to check (CheckDuplicate), and the
// maintained client no longer can. Two ups of one project racing (two
// devstacks, or devstack and compose) then make two "<project>_default"
// networks, and every container start after that fails with "network …
// is ambiguous". The rule that settles it without talking to the other
// tool: the oldest network of a name wins, and whoever made a younger one
// removes it.

// settleNetwork is called right after this up created network ours under
// name: when another up created one of the same name first, ours is
// removed and the winner's ID returned.
func (e *Engine) settleNetwork(ctx context.Context, name, ours string, progress ProgressFunc) (string, error) {
	same, err := e.networksNamed(ctx, name)
	if err != nil || len(same) < 2 || same[0].ID == ours {
		return ours, err
	}
	if _, err := e.api.NetworkRemove(ctx, ours, client.NetworkRemoveOptions{}); err != nil && !cerrdefs.IsNotFound(err) {
		return "", fmt.Errorf("remove duplicate network %s: %w", name, err)
	}
	progress.report(Progress{Kind: ProgressWarning, Subject: name,
		Text: "another up created this network at the same time; using that one"})
	return same[0].ID, nil
}

// oldestOwned picks, among the project's networks that share a name (left
// by an earlier race), the oldest, and removes the others that no
// container uses; one still in use is left and reported.
func (e *Engine) oldestOwned(ctx context.Context, same []network.Summary, progress ProgressFunc) network.Summary {
	sortOldestFirst(same)
	for _, n := range same[1:] {
		if _, err := e.api.NetworkRemove(ctx, n.ID, client.NetworkRemoveOptions{}); err != nil && !cerrdefs.IsNotFound(err) {
			progress.report(Progress{Kind: ProgressWarning, Subject: n.Name,
				Text: fmt.Sprintf("two networks have this name and %s could not be removed (%v); remove it by ID", n.ID[:12], err)})
		}
	}
	return same[0]
}

// networksNamed lists the networks with exactly that name, oldest first.
func (e *Engine) networksNamed(ctx context.Context, name string) ([]network.Summary, error) {
	res, err := e.api.NetworkList(ctx, client.NetworkListOptions{Filters: make(client.Filters).Add("name", name)})
	if err != nil {
		return nil, fmt.Errorf("look up network %s: %w", name, err)
	}
	var same []network.Summary
	for _, n := range res.Items {
		if n.Name == name { // the name filter matches substrings
			same = append(same, n)
		}
	}
	sortOldestFirst(same)
	return same, nil
}

func sortOldestFirst(ns []network.Summary) {
	sort.Slice(ns, func(i, j int) bool {
		if !ns[i].Created.Equal(ns[j].Created) {
			return ns[i].Created.Before(ns[j].Created)
		}
		return ns[i].ID < ns[j].ID
	})
}
