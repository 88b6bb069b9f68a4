package composeload

import (
	"errors"
	"testing"
)

func TestCheckServiceNames(t *testing.T) {
	known := []string{"web", "db", "debug"}
	for _, ok := range [][]string{nil, {"web"}, {"db", "web"}, {"debug"}} {
		if err := CheckServiceNames("shop", known, ok); err != nil {
			t.Errorf("CheckServiceNames(%v): %v", ok, err)
		}
	}
	err := CheckServiceNames("shop", known, []string{"web", "nosuch", "other", "nosuch"})
	want := `no such service "nosuch", "other" in project shop: its services are db, debug, web`
	if !errors.Is(err, ErrUnknownService) || err.Error() != want {
		t.Errorf("got %v, want %s (wrapping ErrUnknownService)", err, want)
	}
	err = CheckServiceNames("gone", nil, []string{"app"})
	want = `no such service "app" in project gone: it has no services (no compose file here, and no containers of it on the engine)`
	if !errors.Is(err, ErrUnknownService) || err.Error() != want {
		t.Errorf("got %v, want %s", err, want)
	}
}
