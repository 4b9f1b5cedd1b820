package main

import (
	"testing"
	"time"
)

// TestSplitHorizon: the flags that shortened split's runs, as compare
// takes them, for the compare split prints for a move it could not tell.
func TestSplitHorizon(t *testing.T) {
	for _, c := range []struct {
		x       expFlags
		noScale bool
		want    string
	}{
		{expFlags{}, false, ""},
		{expFlags{}, true, ""}, // --no-scale alone scales nothing
		{expFlags{Duration: 10 * time.Second}, false, "--duration 10s"},
		{expFlags{Duration: 90 * time.Second}, true, "--duration 1m30s --no-scale"},
		{expFlags{Auctions: 5000}, false, "--auctions 5000"},
	} {
		if got := splitHorizon(&c.x, c.noScale); got != c.want {
			t.Errorf("%+v no-scale %v: %q, want %q", c.x, c.noScale, got, c.want)
		}
	}
}
