package tui

import (
	"strings"
	"testing"

	"github.com/auctionsim/auctionsim/sim"
)

// The pacing cell says when μ is a start-up probe rather than its level.
func TestPacingTextSearch(t *testing.T) {
	b := sim.BidderStats{Pacing: sim.PacingMultiplier, Mu: 3.4, Searching: true}
	if got := pacingText(b, shownBidder{}); !strings.Contains(got, "search") || !strings.Contains(got, "3.40") {
		t.Errorf("searching: %q", got)
	}
	b.Searching = false
	if got := pacingText(b, shownBidder{}); got != "μ 3.40" {
		t.Errorf("settled: %q", got)
	}
}
