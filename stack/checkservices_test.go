package stack

import (
	"errors"
	"testing"
)

// TestCheckServices checks that a project's switched-off services count as
// declared and that the error lists active and switched-off ones alike.
func TestCheckServices(t *testing.T) {
	p := &Project{Name: "shop",
		Services: []Service{{Name: "web"}, {Name: "db"}},
		Inactive: []Service{{Name: "debug"}}}
	for _, ok := range [][]string{nil, {"web"}, {"db", "web"}, {"debug"}} {
		if err := p.CheckServices(ok...); err != nil {
			t.Errorf("CheckServices(%v): %v", ok, err)
		}
	}
	err := p.CheckServices("web", "nosuch", "other", "nosuch")
	want := `no such service "nosuch", "other" in project shop: its services are db, debug, web`
	if !errors.Is(err, ErrUnknownService) || err.Error() != want {
		t.Errorf("got %v, want %s (wrapping ErrUnknownService)", err, want)
	}
}
