package main

import (
	"encoding/json"
	"math"
	"strings"
	"testing"
)

// TestEquilibriumWithReserve: first-vs-second with equilibrium bidders and
// floor 0.3 earns R₄(0.3) = 0.6042, as second price does with the same
// floor (revenue equivalence with a reserve); the --reps table and JSON
// set the theory beside the simulation, which lies within 3 standard
// errors of it, and the run table shows it too.
func TestEquilibriumWithReserve(t *testing.T) {
	r4 := 3.0/5 + math.Pow(0.3, 4) - 8*math.Pow(0.3, 5)/5 // 0.604212
	eq := []string{"-s", "first-vs-second", "--set", "bidders.*.strategy={kind: equilibrium}", "--set", "exchange.floor=0.3"}
	for _, auction := range []string{"first-price", "second-price"} {
		args := append([]string{"run"}, eq...)
		args = append(args, "--set", "exchange.auction="+auction, "--reps", "5", "--auctions", "100000")
		r := run(t, "", append(args, "--json")...)
		if r.code != exitOK {
			t.Fatalf("%v: exit %d: %s", args, r.code, r.stderr)
		}
		type stat struct {
			Mean, Sd float64
			N        int
		}
		var out struct {
			Exchange struct {
				Revenue stat `json:"revenue_per_auction"`
			} `json:"exchange"`
			Theory struct {
				Revenue stat   `json:"revenue_per_auction"`
				Formula string `json:"formula"`
			} `json:"theory"`
		}
		if err := json.Unmarshal([]byte(r.stdout), &out); err != nil {
			t.Fatalf("%s: %v\n%s", auction, err, r.stdout)
		}
		if math.Abs(out.Theory.Revenue.Mean-r4) > 1e-9 {
			t.Errorf("%s: theory %g, want R₄(0.3) = %g (%s)", auction, out.Theory.Revenue.Mean, r4, out.Theory.Formula)
		}
		s := out.Exchange.Revenue
		if se := s.Sd / math.Sqrt(float64(s.N)); math.Abs(s.Mean-r4) > 3*se+1e-9 {
			t.Errorf("%s: simulated %g ± %g (SE), theory %g: more than 3 SE apart", auction, s.Mean, se, r4)
		}
		wantWhat := "bidding the equilibrium"
		if auction == "second-price" {
			wantWhat = "4 truthful bidders"
		}
		if !strings.Contains(out.Theory.Formula, wantWhat) {
			t.Errorf("%s: formula %q lacks %q", auction, out.Theory.Formula, wantWhat)
		}
		table := run(t, "", args...)
		if table.code != exitOK || !strings.Contains(table.stdout, "theory 0.6042 · simulated ") || !strings.Contains(table.stdout, wantWhat) {
			t.Errorf("%s: the --reps table lacks the theory line (exit %d):\n%s", auction, table.code, table.stdout)
		}
	}
	one := run(t, "", append([]string{"run"}, append(eq, "--auctions", "100000")...)...)
	if one.code != exitOK || !strings.Contains(one.stdout, "theory 0.604 · simulated ") {
		t.Errorf("the run table lacks the theory row (exit %d):\n%s", one.code, one.stdout)
	}
}

// TestSweepTheoryHeaders: a sweep of a simulated metric and its closed
// form heads the two columns apart.
func TestSweepTheoryHeaders(t *testing.T) {
	r := run(t, "", "sweep", "-s", "first-vs-second", "--reps", "2", "--auctions", "2000",
		"--vary", "exchange.floor=0,0.3", "--metrics", "exchange.revenue_per_auction,theory.revenue_per_auction")
	if r.code != exitOK {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
	var head string
	for _, l := range strings.Split(r.stdout, "\n") {
		if strings.HasPrefix(l, "floor") {
			head = l
		}
	}
	if !strings.Contains(head, " revenue_per_auction") || !strings.Contains(head, "theory rev/auction") {
		t.Errorf("sweep header %q: want revenue_per_auction and theory rev/auction apart\n%s", head, r.stdout)
	}
}
