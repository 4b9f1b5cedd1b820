package sim

import (
	"fmt"
	"math"
	"testing"

	"golang.org/x/exp/stats"
)

// world is a test scenario builder: n truthful bidders with values drawn
// from value, no latency, second price, floor 0, increment 0.
func world(n int, value Dist) Config {
	cfg := Config{
		Seed:     1,
		Traffic:  Traffic{QPS: 1000},
		Exchange: ExchangeConfig{Auction: SecondPrice, Tmax: 100 * Millisecond},
	}
	for i := range n {
		cfg.Bidders = append(cfg.Bidders, BidderConfig{Name: fmt.Sprintf("b%d", i), Value: value})
	}
	return cfg
}

// snapshotAt runs cfg's world until d and returns its snapshot.
func snapshotAt(t testing.TB, cfg Config, d Time) *Snapshot {
	t.Helper()
	e := mustNew(t, cfg)
	e.RunUntil(d)
	return e.Snapshot()
}

func mustNew(t testing.TB, cfg Config) *Engine {
	t.Helper()
	e, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return e
}

// batches runs an engine for k batches of d virtual time each and returns
// per-batch values of f, computed from the snapshot difference of the
// batch. Batch means give honest standard errors even when consecutive
// auctions are correlated (queues).
func batches(t testing.TB, e *Engine, k int, d Time, f func(prev, cur *Snapshot) float64) []float64 {
	t.Helper()
	prev := e.Snapshot()
	out := make([]float64, 0, k)
	for i := range k {
		e.RunUntil(Time(i+1) * d)
		cur := e.Snapshot()
		out = append(out, f(prev, cur))
		prev = cur
	}
	return out
}

// meanSE is the mean of xs and its standard error.
func meanSE(xs []float64) (mean, se float64) {
	mean, sd := stats.MeanAndStdDev(xs)
	return mean, sd / math.Sqrt(float64(len(xs)))
}

// within3SE fails the test unless got's mean is within 3 standard errors of
// want. A floor on the error keeps exact-zero variance from failing on
// rounding.
func within3SE(t *testing.T, what string, xs []float64, want float64) {
	t.Helper()
	got, se := meanSE(xs)
	tol := 3*se + 1e-9
	if math.Abs(got-want) > tol {
		t.Errorf("%s: got %.6f ± %.6f (SE), want %.6f: off by %.1f SE", what, got, se, want, math.Abs(got-want)/se)
	} else {
		t.Logf("%s: got %.6f ± %.6f (SE), want %.6f", what, got, se, want)
	}
}

// revenuePerAuction is a batch's revenue per closed auction, in CPM.
func revenuePerAuction(prev, cur *Snapshot) float64 {
	n := cur.Exchange.Auctions - prev.Exchange.Auctions
	return float64(cur.Exchange.Revenue-prev.Exchange.Revenue) / float64(n) / float64(PriceUnit)
}

// noSale is a batch's share of unfilled auctions.
func noSale(prev, cur *Snapshot) float64 {
	n := cur.Exchange.Auctions - prev.Exchange.Auctions
	return float64(cur.Exchange.Unfilled-prev.Exchange.Unfilled) / float64(n)
}

// perBidderBatches runs e k seconds and gives, for each of its first n
// bidders, each second's win rate, payment and surplus per auction
// (currency units): the batches a bidder's theory is checked against.
func perBidderBatches(t testing.TB, e *Engine, n, k int) (wins, pays, surplus [][]float64) {
	t.Helper()
	wins, pays, surplus = make([][]float64, n), make([][]float64, n), make([][]float64, n)
	batches(t, e, k, Second, func(prev, cur *Snapshot) float64 {
		a := float64(cur.Exchange.Auctions - prev.Exchange.Auctions)
		for i := range n {
			p, c := prev.Bidders[i], cur.Bidders[i]
			wins[i] = append(wins[i], float64(c.Wins-p.Wins)/a)
			spend := float64(c.Spend-p.Spend) / float64(PriceUnit)
			pays[i] = append(pays[i], spend/a)
			surplus[i] = append(surplus[i], (float64(c.Value-p.Value)/float64(PriceUnit)-spend)/a)
		}
		return 0
	})
	return wins, pays, surplus
}
