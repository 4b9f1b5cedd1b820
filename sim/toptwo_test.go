package sim

import (
	"math/rand/v2"
	"testing"
)

// TestTopTwoMatchesTheRule: the close's branch-free pass (topTwo) finds
// what the rule's own loop (topTwoTied) finds, on random responses of
// every status with bids that often tie, are 0 or sit at the floor; and
// it hands every auction with a tie (or a bid below 0) to that loop.
func TestTopTwoMatchesTheRule(t *testing.T) {
	e := mustNew(t, benchConfig())
	r := rand.New(rand.NewPCG(1, 2))
	var checked, tiedSeen int
	for range 200_000 {
		rs := make([]Response, 1+r.IntN(12))
		for i := range rs {
			rs[i].Status = Status(r.IntN(int(OnTime) + 1))
			rs[i].Bid = Price(r.IntN(6)) // few values: ties are common
			if r.IntN(50) == 0 {
				rs[i].Bid = -Price(1 + r.IntN(3))
			}
		}
		win, best, second, eligible, tied := topTwo(rs)
		// The rule's loop draws only at a tie; without one it is the rule.
		hasTie, negative := false, false
		seen := map[Price]bool{}
		for i := range rs {
			if rs[i].Status != OnTime {
				continue
			}
			negative = negative || rs[i].Bid < 0
			top := true
			for b := range seen {
				if b > rs[i].Bid {
					top = false
				}
			}
			hasTie = hasTie || top && seen[rs[i].Bid]
			seen[rs[i].Bid] = true
		}
		if tied != (hasTie || negative) {
			t.Fatalf("%+v: tied %v, want %v", rs, tied, hasTie || negative)
		}
		if tied {
			tiedSeen++
			continue
		}
		w, b, s, n := e.topTwoTied(rs)
		if win != w || best != b || second != s || eligible != n {
			t.Fatalf("%+v: topTwo %d %v %v %d, the rule %d %v %v %d", rs, win, best, second, eligible, w, b, s, n)
		}
		checked++
	}
	if checked < 10_000 || tiedSeen < 10_000 {
		t.Fatalf("%d auctions compared, %d with ties: too few", checked, tiedSeen)
	}
}
