package sim

import (
	"math"
	"math/rand/v2"
	"testing"
)

// TestFrequencyDistribution: the people a bidder reached, by how many of
// its impressions each saw, are what the auctions' records say (every
// auction kept), bucket by bucket, with and without a cap, across a live
// cap, after a clone, and at traffic scale (each simulated person
// standing for count / m people, m simulated); they add up to the people reached.
func TestFrequencyDistribution(t *testing.T) {
	r := rand.New(rand.NewPCG(26, 9))
	spread := 0 // worlds whose people fill three buckets or more
	for w := range 16 {
		cfg := peopleWorld(Users{Count: 20 + r.IntN(400), Skew: r.Float64() * 1.5}, FrequencyCap{Impressions: 1 + r.IntN(6), Per: Hour})
		if w%3 == 0 {
			cfg.Bidders[0].FrequencyCap = nil
		}
		cfg.Seed = r.Uint64()
		cfg.Traffic.QPS = float64(200 + r.IntN(2000))
		scale := 1.0
		if w%4 == 1 {
			scale = 7
			cfg.Traffic.QPS *= scale
			cfg.Traffic.Scale = scale
		}
		const auctions = 6000
		cfg.Recent = auctions
		e := mustNew(t, cfg)
		e.RunAuctions(auctions / 2)
		if w%2 == 1 {
			if err := e.Apply(SetFrequencyCap{Bidder: cfg.Bidders[0].Name, Cap: &FrequencyCap{Impressions: 2, Per: Hour}}); err != nil {
				t.Fatal(err)
			}
			e = e.Clone()
		}
		e.RunAuctions(auctions / 2)
		s := e.Snapshot()
		if len(s.Recent) != auctions {
			t.Fatalf("world %d: %d records", w, len(s.Recent))
		}
		for b := range s.Bidders {
			seen := map[uint32]uint32{}
			for _, rec := range s.Recent {
				if rec.Winner == b && !rec.Abandoned {
					seen[rec.Person]++
				}
			}
			var simulated, want [len(FrequencyBuckets)]uint64
			for _, n := range seen {
				i := len(FrequencyBuckets) - 1
				for n < FrequencyBuckets[i] {
					i--
				}
				simulated[i]++
			}
			// Each simulated person stands for count / m people on
			// average (m simulated): the buckets' running sums scaled
			// and rounded, so that they add up to the people reached.
			per := float64(cfg.Traffic.Users.Count) / float64(simulatedPeople(cfg.Traffic.Users.Count, scale))
			var cum, done uint64
			for i, x := range simulated {
				cum += x
				upTo := uint64(math.Round(float64(cum) * per))
				want[i], done = upTo-done, upTo
			}
			f := s.Bidders[b].Frequency
			var sum uint64
			filled := 0
			for i, p := range f.Distribution {
				sum += p
				if p > 0 {
					filled++
				}
				if p != want[i] {
					t.Errorf("world %d bidder %d: %d people in bucket %d+, the records say %d", w, b, p, FrequencyBuckets[i], want[i])
				}
			}
			if sum != f.PeopleReached {
				t.Errorf("world %d bidder %d: the buckets add up to %d, %d reached", w, b, sum, f.PeopleReached)
			}
			if filled >= 3 {
				spread++
			}
		}
	}
	if spread < 10 {
		t.Errorf("only %d bidders' people spread over three buckets: the test proves little", spread)
	}
}
