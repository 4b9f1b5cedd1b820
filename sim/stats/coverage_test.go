package stats_test

import (
	"fmt"
	"testing"

	"github.com/auctionsim/auctionsim/scenarios"
	"github.com/auctionsim/auctionsim/sim"
	"github.com/auctionsim/auctionsim/sim/stats"
)

// threeUniform is second price, no floor, three truthful bidders with values
// uniform on [0, 1]: the clearing price is the second highest of three
// uniforms, whose mean is (n−1)/(n+1) = 0.5.
const threeUniform = `
name: three-uniform
seed: 1
stop: {auctions: %d}
traffic: {qps: 1000}
exchange: {auction: second-price, tmax: 100ms, floor: 0, increment: 0}
bidders:
  - {name: a, value: {dist: uniform, min: 0, max: 1}}
  - {name: b, value: {dist: uniform, min: 0, max: 1}}
  - {name: c, value: {dist: uniform, min: 0, max: 1}}
`

// TestCoverage runs many independent experiments, each of a few
// replications, and checks that about 95% of their 95% intervals contain
// the true mean price 0.5. The seeds are fixed, so the test cannot flake;
// with 1000 experiments the observed coverage of a correct interval lies
// in 93–97% with probability > 99.5%, so a wrong t quantile (a normal
// 1.96 with 5 replications covers about 88%) fails it.
func TestCoverage(t *testing.T) {
	const (
		experiments = 1000
		reps        = 5
		auctions    = 20
	)
	sc, err := scenarios.Parse("three-uniform.yaml", []byte(fmt.Sprintf(threeUniform, auctions)))
	if err != nil {
		t.Fatal(err)
	}
	covered := 0
	seed := uint64(0)
	for range experiments {
		var acc stats.Acc
		for range reps {
			seed++
			cfg := sc.Config
			cfg.Seed = seed
			eng, err := sim.New(cfg)
			if err != nil {
				t.Fatal(err)
			}
			eng.RunAuctions(auctions)
			acc.Add(eng.Snapshot().Exchange.MeanPrice())
		}
		s := acc.Stat()
		if s.N != reps {
			t.Fatalf("n = %d", s.N)
		}
		if !s.Excludes(0.5) {
			covered++
		}
	}
	rate := float64(covered) / experiments
	t.Logf("coverage %.1f%% over %d experiments of %d replications", 100*rate, experiments, reps)
	if rate < 0.93 || rate > 0.97 {
		t.Errorf("95%% intervals covered the true mean in %.1f%% of experiments, want 93–97%%", 100*rate)
	}
}
