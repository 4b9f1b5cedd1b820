package scenarios

import (
	"math"
	"strings"
	"testing"

	"github.com/auctionsim/auctionsim/sim"
)

// TestBidderTheoryAsymmetricClassroom: the classroom's worlds with
// asymmetric bidders, as a student makes them with --set (one bidder's
// values lognormal, another's uniform on [0, 2], with and without a floor
// and an increment; in first price, one bidder's exponential), simulated
// for 400,000 auctions each: each bidder's
// win rate and payment per auction lie within 4 standard errors of
// Snapshot.BidderTheory. The band: these worlds have no budgets, latency
// or queues, so auctions are independent and the 100 batches' means are
// i.i.d.; the standard error comes from their spread. A 4-SE band errs
// with probability about 10⁻⁴ per figure (t, 99 degrees of freedom),
// 3·10⁻³ over the 28 figures, and the seed is fixed. It is tight: ada's win rate
// has a standard error of 0.07 points, so the i.i.d. answer (20%, 3
// points off) or a share or presence ignored fails by tens of SEs.
func TestBidderTheoryAsymmetricClassroom(t *testing.T) {
	worlds := []struct {
		scenario string
		sets     []string
	}{
		{"classroom-vickrey", []string{"bidders.ada.value={dist: lognormal, median: 0.6, p99: 3}", "bidders.bo.value={dist: uniform, min: 0, max: 2}"}},
		{"classroom-vickrey", []string{"bidders.ada.value={dist: lognormal, median: 0.6, p99: 3}", "bidders.bo.value={dist: uniform, min: 0, max: 2}",
			"exchange.increment=0.05", "exchange.floor=0.2"}},
		{"first-vs-second", []string{"bidders.ada.value={dist: exponential, mean: 0.5}"}},
	}
	const batches, per = 100, 4000
	for _, w := range worlds {
		t.Run(w.scenario+" "+strings.Join(w.sets, " "), func(t *testing.T) {
			var list []Set
			for _, a := range w.sets {
				p, v, _ := strings.Cut(a, "=")
				list = append(list, Set{Path: p, Value: v, Flag: "--set"})
			}
			sc, _, err := ResolveWith(w.scenario, list)
			if err != nil {
				t.Fatal(err)
			}
			e, err := sim.New(sc.Config)
			if err != nil {
				t.Fatal(err)
			}
			bt, why := e.Snapshot().BidderTheory()
			if why != "" || len(bt) != len(sc.Config.Bidders) {
				t.Fatalf("each bidder's theory: %d bidders, why %q", len(bt), why)
			}
			n := len(bt)
			wins, pays := make([][]float64, n), make([][]float64, n)
			prev := e.Snapshot()
			for range batches {
				e.RunAuctions(per)
				cur := e.Snapshot()
				a := float64(cur.Exchange.Auctions - prev.Exchange.Auctions)
				for i := range n {
					p, c := prev.Bidders[i], cur.Bidders[i]
					wins[i] = append(wins[i], float64(c.Wins-p.Wins)/a)
					pays[i] = append(pays[i], float64(c.Spend-p.Spend)/float64(sim.PriceUnit)/a)
				}
				prev = cur
			}
			for i, b := range bt {
				within := func(what string, xs []float64, want float64) {
					mean, se := meanSE(xs)
					if d := math.Abs(mean - want); !(d <= 4*se+1e-12) {
						t.Errorf("%s %s: simulated %.5f ± %.5f (SE), theory %.5f: %.1f SE off", b.Name, what, mean, se, want, d/se)
					} else {
						t.Logf("%s %s: simulated %.5f ± %.5f (SE), theory %.5f", b.Name, what, mean, se, want)
					}
				}
				within("win rate", wins[i], b.WinRate)
				within("payment per auction", pays[i], b.Payment)
			}
		})
	}
}

// meanSE is the mean of xs and its standard error, from their spread.
func meanSE(xs []float64) (mean, se float64) {
	for _, x := range xs {
		mean += x
	}
	mean /= float64(len(xs))
	ss := 0.0
	for _, x := range xs {
		ss += (x - mean) * (x - mean)
	}
	return mean, math.Sqrt(ss / float64(len(xs)-1) / float64(len(xs)))
}
